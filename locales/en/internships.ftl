## Internships

site-list =
    <b>Internship sites</b> · { $filters }
    { $count ->
        [one] { $count } site found; the ones that suit you come first.
       *[other] { $count } sites found; the ones that suit you come first.
    }

    { $lines }

    Page { $page } of { $pages }. Press a number to open a site.
site-none = No internship sites found (filter: { $filters }). Clear the filter or look again later.
site-no-filter = all sites
site-line =
    { $number }. <b>{ $organisation }</b> ({ $municipality })
    { $topic }
    <i>{ $reasons }</i>
match-deficit = your gaps: { $areas }
match-subject = your subjects: { $subjects }
match-near = in your municipality
match-remote = remote
match-none = general topic
site-btn-area = 🎯 Area
site-btn-municipality = 📍 Municipality
site-btn-reset = ✖ Clear filter
site-btn-mine = 📋 My applications
site-btn-apply = 📝 Apply
site-btn-cancel = ✖ Withdraw application
site-btn-back = ‹ Back to the list
site-choose-area = Choose a competence area:
site-choose-municipality = Choose a municipality:
site-card =
    <b>{ $organisation }</b>
    Municipality: { $municipality }
    Topic: { $topic }
    Areas: { $areas }
    Subjects: { $subjects }
    Dates: { $start } – { $end }
    Format: { $format }
    Free seats: { $free } of { $seats }
    Contact: { $contact }
site-applied-mark = ✓ You have applied.
site-full = No seats left.
site-apply-applied = Application sent.
site-apply-duplicate = You have already applied to this site.
site-apply-full = Sorry, there are no free seats left.
site-cancelled = Application withdrawn.
site-mine =
    <b>My applications</b>
    { $lines }
site-mine-line = • { $organisation }: { $start } – { $end }
site-mine-none = You have no internship applications yet.
format-ochno = in person
format-distance = remote
format-mixed = blended
