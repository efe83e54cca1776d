## Mentorship

mentor-intro =
    <b>Mentorship</b>
    Young teachers (under { $age } and in the first { $years ->
        [one] { $years } year
       *[other] { $years } years
    } of work) get help finding a mentor. There are other forms too: a peer pair with a colleague strong where you need to grow, and management mentorship for school leaders.
mentor-form-young = mentor – young teacher
mentor-form-peer = peer pair by competence
mentor-form-management = management mentorship
mentor-you-mentee = 👤 Your mentor: { $name } ({ $form })
mentor-you-mentor = 👥 Your mentee: { $name } ({ $form })
mentor-pending = Request sent to { $name }. Waiting for an answer until { $until }.
mentor-delivery-sending = The message to the mentor is on its way.
mentor-delivery-delivered = ✓ Delivered to the mentor; the request waits for their answer in their Inbox.
mentor-delivery-blocked = ⚠️ Not delivered: the mentor has blocked the bot. The request waits in their Inbox, but they may not see it — you can withdraw it and choose someone else.
mentor-delivery-failed = ⚠️ The message to the mentor was not delivered. The request waits in their Inbox; you can withdraw it and choose someone else.
mentor-btn-cancel-request = ✖ Cancel the request
mentor-young-offer = You are a young teacher — these mentors suit you:
mentor-none-available = No suitable mentor is free right now. Your methodist sees that you are waiting and will help.
mentor-candidate =
    <b>{ $name }</b> — { $school }
    Subjects: { $subjects }
    <i>{ $reasons }</i>
mentor-reason-school-subject = same subject and same school ({ $subjects })
mentor-reason-place-subject = same subject and same municipality ({ $subjects })
mentor-reason-subject = same subject ({ $subjects })
mentor-reason-strength = strong in your gaps: { $areas }
mentor-reason-load = mentees: { $load } of { $capacity }
mentor-btn-ask = Ask { $name }
mentor-btn-peer = 🤝 Find a colleague for a gap
mentor-btn-management = 🧭 Management mentorship
mentor-btn-optin = ⭐ I am ready to mentor
mentor-btn-optout = Stop being a mentor
mentor-peer-choose = Which competence do you need a colleague for?
mentor-list-young = Mentors for a young teacher:
mentor-list-peer = Colleagues strong in «{ $area }»:
mentor-list-management = Mentors among school leaders:
mentor-unavailable = This mentor is not available now: choose another.
mentor-requested = Request sent to { $name }. If there is no answer within { $days ->
        [one] { $days } day
       *[other] { $days } days
    }, I will suggest the next mentor.
mentor-request-received =
    <b>Mentorship request</b> ({ $form })
    { $name } — { $school }
    Subjects: { $subjects }
    Gaps from the self-diagnosis: { $deficits }
    Please answer by { $until }.
mentor-btn-accept = ✅ Accept
mentor-btn-decline = Decline
mentor-request-cancelled = Request cancelled.
mentor-capacity-full = You already have { $capacity } mentees — the limit. Close a pair or decline the request.
mentor-accepted-you = You accepted { $name }'s request. Contacts and the pair's plan follow.
mentor-pair-mentee =
    <b>You have a mentor!</b> { $name } ({ $form }).
    Contact: { $contact }
    Goals of the pair (your gaps): { $goals }
    Arrange your first meeting and log meetings here — I will remind you after { $days } days without one.
mentor-pair-mentor =
    <b>New pair</b> ({ $form }): your mentee is { $name }.
    Contact: { $contact }
    Goals of the pair: { $goals }
    Log meetings here — I will remind you after { $days } days without one.
mentor-btn-open-pair = Open the pair
mentor-decline-ask = Write briefly why you decline (the teacher will see it), or press «No comment».
mentor-btn-no-comment = No comment
mentor-declined-you = Request declined. Thank you for answering.
mentor-declined = { $name } cannot be your mentor. Here are others.
mentor-declined-with-message = { $name } cannot be your mentor: «{ $message }». Here are others.
mentor-request-lapsed = { $name } did not answer your request in time. You can ask another mentor.
mentor-pair-card =
    <b>Mentorship pair</b> ({ $form }) · { $status }
    Mentor: { $mentor }
    Mentee: { $mentee }
    Since { $since } · goals: { $goals }
    Meetings: { $count }
    { $history }
mentor-pair-active = active
mentor-pair-closed = closed
mentor-no-meetings = No meetings logged yet.
mentor-meeting-line = • { $date }: { $topic } { $note }
mentor-outcome = Outcome: { $outcome }
mentor-btn-log = 📝 Log a meeting
mentor-btn-close = Close the pair
mentor-btn-skip = Skip
mentor-ask-date = When was the meeting? Date as DD.MM.YYYY:
mentor-date-before-pair = The pair started on { $since }: a meeting cannot be earlier. Type another date.
mentor-ask-topic = Topic of the meeting (briefly):
mentor-ask-note = A note: what you discussed and agreed. Or «Skip».
mentor-meeting-saved = Meeting logged.
mentor-ask-outcome = Write the pair's outcome: what was achieved.
mentor-closed = The pair is closed; its history is kept.
mentor-close-confirm = Close the pair with { $name }? The pair closes once you write its outcome. Changed your mind? Press “Cancel”.
methodist-close-confirm = Close the pair: { $mentee } — mentor { $mentor }? The pair closes once you write its outcome. Changed your mind? Press “Cancel”.
mentor-closed-other = { $name } closed the mentorship pair. Outcome: { $outcome }
mentor-meeting-reminder = Reminder: no meeting with { $name } has been logged for { $days } days. Log one in «Mentorship».
mentor-optin-too-early = Mentors need at least { $years } years of teaching experience.
mentor-ask-contact = How can a mentee reach you besides { $messenger } (phone, e-mail)? Only the teacher whose request you accept will see it. Or press «{ $messenger } only».
mentor-btn-messenger-only = { $messenger } only
mentor-enrolled = You are in the mentor registry. At most { $capacity } mentees; requests will come here.
mentor-left-registry = You are no longer in the mentor registry. Existing pairs continue.
mentor-nominated-you = { $name } (methodist) has nominated you to the mentor registry. Thank you! You can leave it in «Mentorship».

## Methodist's desk

methodist-menu = <b>Methodist's desk</b>
methodist-btn-unsupported = 👶 Young teachers without a mentor
methodist-btn-pairs = 🤝 Active pairs
methodist-btn-nominate = ⭐ Nominate a mentor
methodist-young = Young teachers in the region: { $total }. Taking part in various forms of support (C-6/R-5, the current period): { $share }%, target at least { $target }%. Without a mentor: { $waiting } — choose a teacher to assign a mentor.
methodist-candidates = Mentors for { $name }:
methodist-btn-assign = Assign { $name }
methodist-assigned = The pair is created; the contacts are sent to both.
methodist-reassigned-outcome = reassigned by the methodist
methodist-pairs = Active pairs: { $count }.
methodist-pair = { $mentee } ← { $mentor }
methodist-pair-card =
    <b>Pair</b>: { $mentee } ← { $mentor }
    Since { $since } · meetings: { $count } · last: { $last }
methodist-btn-reassign = Reassign the mentor
methodist-btn-close = Close the pair
methodist-nominees = Teachers with at least { $years } years of experience who are not in the mentor registry. Press one to nominate:
methodist-nominated = The teacher is added to the mentor registry.
mentor-goals-open = to be set together at the first meeting (no self-diagnosis yet)
methodist-btn-digest = 📋 Today's digest
methodist-btn-teachers = 👩‍🏫 My teachers
