## Methodist's workspace: my teachers (list, card, route, ЦНППМ diagnosis, export)

ws-list =
    <b>My teachers</b> · { $filter }
    { $count ->
        [one] { $count } teacher
       *[other] { $count } teachers
    } · page { $page } of { $pages }
ws-list-empty = Nobody matches this filter.
ws-filter-all = All
ws-filter-no_diagnosis = No diagnosis
ws-filter-no_route = No route
ws-filter-overdue = Overdue
ws-filter-young_unsupported = Young, no mentor
ws-btn-export = 📊 Export to Excel

ws-card-self =
    <b>Self-diagnosis</b> ({ $date }) — the teacher's preliminary request:
    { $lines }
    Request for development: { $deficits }
ws-card-self-none = <b>Self-diagnosis</b>: not taken yet.
ws-card-official =
    <b>Official diagnosis by { $cnppm }</b> ({ $date }, instrument: { $instrument }), result 0–100:
    { $lines }
    Deficits: { $deficits }
ws-card-official-none = <b>Official diagnosis by { $cnppm }</b>: no results.
ws-card-route =
    <b>Route (ИОМ)</b>: { $status }
    Items done: { $done } of { $total } · overdue: { $overdue }
ws-card-route-none = <b>Route (ИОМ)</b>: not drafted.
ws-card-mentor = <b>Mentorship</b>: mentor — { $name }.
ws-card-mentor-none = <b>Mentorship</b>: no pair.
ws-card-mentor-none-young = <b>Mentorship</b>: ⚠️ a young teacher without a mentor.
ws-btn-chart = 📈 Diagnosis chart
ws-btn-route = 🗺 Route
ws-btn-approve = ✅ Approve the route
ws-btn-return = ↩️ Return for revision
ws-btn-official = 🏛 Official diagnosis by { $cnppm }
ws-btn-to-list = ‹ Back to the teachers
ws-btn-to-card = ‹ Back to the teacher's card
ws-no-self-diagnosis = The teacher has not taken the self-diagnosis yet.
ws-chart-caption = Self-diagnosis: { $name }, { $date }

ws-route =
    <b>Route (ИОМ)</b> · { $name }
    Status: { $status } · { $start } – { $end }
    Items done: { $done } of { $total }

    { $lines }

    Page { $page } of { $pages }
ws-route-empty = The route has no items yet.
ws-route-line = { $number }. { $mark } { $area }: { $title } — by { $due }
ws-evidence-document = 📎 document: { $evidence }
ws-evidence-photo = 📷 photo
ws-evidence-link = 🔗 { $evidence }
ws-evidence-text = 💬 { $evidence }
ws-transferred = 🔁 transfer to practice confirmed on { $date }
ws-btn-transfer = 🔁 Confirm transfer to practice: { $number }
ws-transfer-confirmed = Transfer to practice confirmed.
ws-approved = The route is approved; the teacher's notification is sent.
ws-ask-comment = Write a comment for the teacher: what to revise in the route (at most { $max } characters).
ws-returned = The route is returned for revision; your comment is sent to the teacher.
ws-btn-open-route = 🗺 Open the route

ws-notify-approved = ✅ Methodist { $name } approved your route. You can now work through the items and mark them done.
ws-notify-returned =
    ↩️ Methodist { $name } returned your route for revision.
    Comment: { $comment }
ws-notify-transfer = 🔁 Methodist { $name } confirmed the transfer to practice: “{ $title }”.
ws-notify-official = 🏛 Methodist { $name } recorded the results of your ЦНППМ diagnosis of { $date } (instrument: { $instrument }). Deficits, as the ЦНППМ recorded them: { $deficits }.

ws-ask-official-date =
    <b>Official ЦНППМ diagnosis</b> · { $name }
    Write the date of the diagnosis at the ЦНППМ as DD.MM.YYYY.
ws-ask-official-instrument =
    <b>Official ЦНППМ diagnosis</b> · { $name }, { $date }
    Write the diagnostic instrument, as the ЦНППМ names it (for example: <i>diagnosis of subject and methodical competences</i>).
ws-err-instrument-empty = Write the instrument's name.
ws-err-instrument-too-long = The name is too long ({ $length } characters); at most { $max } are allowed.
ws-official-heading =
    <b>Official ЦНППМ diagnosis</b> · { $name }, { $date }, { $instrument }
    Area { $number } of { $total }: <b>{ $area }</b>
ws-official-ask-result = Write the ЦНППМ result in this area — a number from 0 to 100 — or press «Not assessed».
ws-official-ask-deficit = Result: { $result }. Did the ЦНППМ find a deficit in this area?
ws-err-official-result = A whole number from { $min } to { $max } is needed, as in the ЦНППМ results.
ws-btn-deficit-yes = Deficit: yes
ws-btn-deficit-no = Deficit: no
ws-official-area-done = ✓ { $area }: { $result }, { $deficit ->
        [1] a deficit
       *[0] no deficit
    }
ws-official-area-skipped = ✓ { $area }: not assessed
ws-btn-not-assessed = Not assessed
ws-official-empty = No area was assessed — nothing to record. Let's start again.
ws-official-saved-alert = Results saved.
ws-official-saved = ✓ Official ЦНППМ diagnosis saved: { $name }. The teacher's notification is sent.

ws-export-empty = No teachers are assigned to you yet.
ws-export-sheet = Teachers
ws-export-caption =
    Assigned teachers on { $date }: { $count ->
        [one] { $count } person
       *[other] { $count } people
    }.
ws-col-fio = Full name
ws-col-position = Position
ws-col-school = Organisation
ws-col-municipality = Municipality
ws-col-subjects = Subjects
ws-col-young = Young teacher
ws-col-self-date = Self-diagnosis (date)
ws-col-self-deficits = Gaps (self-diagnosis)
ws-col-official-date = ЦНППМ diagnosis (date)
ws-col-route-status = Route status
ws-col-items-done = Items done
ws-col-items-total = Items in all
ws-col-overdue = Overdue
ws-col-mentor = Mentor

## Assigning teachers (/caseload, admin)

ws-staff =
    <b>Assigning teachers</b>
    Methodists of the region and the number of teachers assigned to each (the C-5 target is at most { $limit } per regional methodist):
    { $lines }

    Page { $page } of { $pages }. Choose a methodist to assign a teacher to.
ws-staff-none = <b>Assigning teachers</b>: your region has no methodists yet. Invite them with /admin.
ws-staff-line = { $name } ({ $role }) — { $count }
ws-staff-line-over = ⚠️ { $name } ({ $role }) — { $count }, over the target of { $limit }
ws-btn-assign-to = Assign to: { $name }
ws-btn-staff = ‹ Back to the methodists
ws-ask-teacher-name =
    Assigning teachers to methodist { $name }. Write part of the teacher's name:
    or assign every teacher of a municipality or a school at once — the buttons below.
ws-search-nothing = No teachers of your region match “{ $query }”. Try another spelling.
ws-search-found =
    Whom to assign to methodist { $name }?
    { $lines }
ws-search-line = • { $name } — now: { $current }
ws-assigned-alert = Teacher assigned.
ws-assigned = ✓ { $teacher } is assigned to methodist { $methodist }. The region's assignment rules no longer change this.
ws-btn-open-card = 👤 Open the card
ws-notify-assigned = An administrator assigned a teacher to you: { $name }.
ws-notify-teacher-assigned = You have a methodist now: { $name }. Your route and applications are theirs.
ws-assign-for =
    <b>A methodist for { $name }</b>
    The region's methodists and how many teachers each has (target: no more than { $limit }):
    { $lines }

    Page { $page } of { $pages }.

## Assigning a whole municipality or school

ws-btn-bulk-municipality = By municipality
ws-btn-bulk-school = By school
ws-btn-bulk-back-places = ‹ Back to the municipalities
ws-btn-bulk-confirm = ✓ Assign: { $count }
ws-btn-open-list = 🗂 My teachers
ws-bulk-pick-municipality = Which municipality's teachers should be assigned to methodist { $name }?
ws-bulk-pick-municipality-school = In which municipality is the school whose teachers should be assigned to methodist { $name }?
ws-bulk-pick-school = Which school's teachers ({ $municipality }) should be assigned to methodist { $name }?
ws-bulk-no-schools = The directory lists no schools of { $municipality }. Choose another municipality.
ws-bulk-none = The directory of your region lists no municipalities.
ws-bulk-unit-municipality = { $municipality }
ws-bulk-unit-school = { $school } ({ $municipality })
ws-bulk-preview =
    <b>Assign every teacher of { $unit } to methodist { $name }?</b>
    Teachers there: { $teachers }.
    Coming to the methodist: { $moving }, of whom now with another methodist: { $from_others }.
    Already theirs: { $already }.
    The methodist's teachers will number { $after } (now { $now }; the region's target is at most { $limit }).
ws-bulk-over-limit = ⚠️ That is over the region's target: { $after } against at most { $limit }.
ws-bulk-nothing = Nobody to assign: every teacher there is already theirs, or there are none.
ws-bulk-assigned-alert = Teachers assigned.
ws-bulk-assigned =
    ✓ Teachers of { $unit } assigned to methodist { $name }: { $moved }, of whom from another methodist: { $from_others }.
    The methodist now has { $after } teachers. The region's assignment rules no longer change these.
ws-notify-assigned-bulk = An administrator assigned teachers to you: { $count } ({ $unit }).
