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
site-status-applied = ✓ You have applied; awaiting an answer.
site-status-accepted = ✓ Your application is accepted.
site-status-declined = Your application was declined.
site-status-completed = 🎓 Internship completed.
site-status-cancelled = Application withdrawn.
site-apply-methodist = Application sent to your methodist. The answer will come here and to the Inbox.
site-apply-admins = Application sent. You have no methodist yet, so it went to the region's admins (the ЦНППМ). The answer will come here.
site-apply-nobody = Application saved. Nobody can answer it yet: neither your methodist nor a regional admin is in the bot.
site-notify-applied = 📥 { $name } applied for an internship: { $organisation }, from { $start }. Answer in the Inbox.
site-notify-applied-no-methodist = 📥 { $name } applied for an internship: { $organisation }, from { $start }. The teacher has no methodist, so the application is with the region's admins: answer it in the Inbox or assign a methodist.
site-notify-accepted = ✅ Your internship application is accepted: { $organisation }, from { $start }. Answered by { $name }.
site-notify-declined = Your internship application was declined: { $organisation }, from { $start }. Answered by { $name }. You can pick another site under Internships.
site-notify-completed = 🎓 Your internship is marked as completed: { $organisation }. Marked by { $name }.
site-full = No seats left.
site-apply-duplicate = You have already applied to this site.
site-apply-full = Sorry, there are no free seats left.
site-cancelled = Application withdrawn.
site-mine =
    <b>My applications</b>
    { $lines }
site-mine-line = • { $organisation }: { $start } – { $end } — { $status }
site-mine-none = You have no internship applications yet.
format-ochno = in person
format-distance = remote
format-mixed = blended
