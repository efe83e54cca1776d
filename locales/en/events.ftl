## Events

event-kind-seminar = Seminar
event-kind-webinar = Webinar
event-kind-master_class = Master class
event-kind-conference = Conference
event-kind-readings = Teachers' readings
event-kind-contest = Contest
event-kind-round_table = Round table
event-kind-open_lesson = Open lesson

event-duration-h =
    { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }
event-duration-m =
    { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }
event-duration-hm = { $hours } h { $minutes } min
event-when = 🕒 { $when } ({ $zone })
event-time = { $when }, { $duration }
event-head = <b>{ $title }</b> — { $kind }
event-place = 📍 { $place }
event-link = 🔗 { $url }
event-seats-left = Seats left: { $left } of { $seats }
event-seats-none = No seats left ({ $seats } in all)
event-seats-unlimited = No seat limit
event-seats-total = Seats: { $seats }
event-seats-no-limit = No seat limit
event-areas = Areas: { $areas }
event-description = { $text }
event-answer-going = ✓ you are coming
event-answer-not-going = you cannot come

events-list =
    <b>Upcoming events</b>
    { $count ->
        [one] { $count } event ahead.
       *[other] { $count } events ahead.
    } Times are in your region's zone.

    { $lines }

    Page { $page } of { $pages }. Press a number to open an event.
events-none = No upcoming events in your region yet. We will send an announcement when there are.
event-line =
    { $number }. <b>{ $title }</b> — { $kind }
    { $details }
event-you-going = ✓ You are coming. We will remind you a day and an hour before.
event-you-not-going = You answered that you cannot come.
event-full = No seats left.
event-started = This event has already begun — it can no longer be answered.
event-started-mark = The event has begun.
event-not-started = The event has not begun yet: attendance is marked once it has.
event-rsvp-going = Done: you are coming. We will remind you a day and an hour before.
event-rsvp-not-going = Noted: you cannot come.
event-rsvp-same-going = You are already signed up for this event.
event-rsvp-same-not-going = You have already answered that you cannot come.
event-rsvp-full = Sorry, there are no seats left.
event-btn-back = ‹ To the list
event-btn-mine = 📋 My events
event-btn-attendance = ✅ Mark attendance
event-btn-past = ‹ To past events
events-mine =
    <b>My events</b> — the ones you signed up for:

    { $lines }
events-mine-none = You have not signed up for anything yet. Open an event and press «I will come».
event-mine-line = • <b>{ $title }</b> · { $details }

## Events: admin

event-admin-list =
    <b>Events</b>
    { $count ->
        [one] { $count } event ahead.
       *[other] { $count } events ahead.
    }

    { $lines }

    Page { $page } of { $pages }.
event-admin-none = No upcoming events. Create one.
event-admin-line =
    { $number }. <b>{ $title }</b> — { $kind }
    { $when } · coming: { $going } of { $seats }
event-btn-create = ➕ Create
event-btn-announce = 📣 Announce as a broadcast
event-btn-to-admin-list = ‹ To events
event-btn-no-limit = No limit
event-btn-skip = Skip
event-btn-save = ✅ Create the event

event-ask-title = Step { $step } of { $steps }. Type the event's title (up to { $max } characters).
event-ask-kind = Step { $step } of { $steps }. Choose the kind of event:
event-ask-start =
    Step { $step } of { $steps }. When does it start? Date and time in the region's zone ({ $zone }, { $offset }) as DD.MM.YYYY HH:MM.
    For example: 10.12.2026 15:00
event-ask-duration = Step { $step } of { $steps }. Duration: choose one or type the minutes ({ $min } to { $max }).
event-ask-place = Step { $step } of { $steps }. Where? Type an address or a link starting with https://
event-ask-seats = Step { $step } of { $steps }. How many seats? Type a number (1 to { $max }) or press «No limit».
event-ask-description = Step { $step } of { $steps }. A description for participants (programme, speakers) — or «Skip».
event-ask-areas = Step { $step } of { $steps }. Which competence areas is the event for? Tick them or skip.
event-ask-confirm =
    Check the event:

    { $preview }

    Is everything right?
event-wizard-cancelled = Event creation cancelled.
event-created-toast = Event created.
event-created = ✅ The event is created. Announce it as a broadcast so that teachers can answer «I will come».

event-err-title-empty = The title cannot be empty.
event-err-title-long = The title is longer than { $max } characters — shorten it.
event-err-start-format = I could not read the date and time. Use DD.MM.YYYY HH:MM, e.g. 10.12.2026 15:00.
event-err-start-invalid = There is no such date or time. Check the day, month and hours.
event-err-start-past = That time has passed — give a start in the future.
event-err-start-far = Too far ahead: events can be created at most two years ahead.
event-err-duration-format = A number of minutes is needed, e.g. 90.
event-err-duration-range = The duration is { $min_minutes } to { $max_minutes } minutes.
event-err-place-empty = Give an address or a link.
event-err-place-long = The address is longer than { $max_place } characters — shorten it.
event-err-link-https = The link must start with https:// (a secure connection).
event-err-link-bad = That does not look like a web address: no spaces, e.g. https://example.ru/webinar
event-err-seats-format = A whole number of seats is needed, e.g. 30, or the «No limit» button.
event-err-seats-range = The number of seats is 1 to { $max_seats }.
event-err-description-empty = The description is empty — type a text or press «Skip».
event-err-description-long = The description is longer than { $max_text } characters — shorten it.

event-announce-ask = Who should get the announcement of «{ $title }»? It will carry «I will come» / «I cannot come» buttons.
event-btn-announce-all = 👩‍🏫 All teachers of the region
event-btn-announce-subjects = 📚 Teachers of: { $subjects }
event-announce-already = An announcement of this event is already queued.
event-announcement =
    📅 <b>You are invited</b>

    { $details }
event-announced = 📣 The announcement of «{ $title }» is queued. Follow the progress under «Broadcast».

## Events: attendance

event-past-list =
    <b>Past events</b> — choose one to mark attendance:

    { $lines }

    Page { $page } of { $pages }.
event-past-none = There were no events in the last two months.
event-past-line = { $number }. <b>{ $title }</b> · { $when } · signed up: { $going }
event-attendance =
    <b>{ $title }</b>
    Mark who came: { $attended } of { $going } came. Press a name to switch.
    Page { $page } of { $pages }.
event-attendance-nobody = Nobody signed up for «{ $title }».
event-marked = Marked: came.
event-unmarked = Mark removed.
