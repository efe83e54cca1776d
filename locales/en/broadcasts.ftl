## Broadcasts (admin)

broadcast-home = <b>Broadcast</b>
    A message to the region's teachers: formatted text, a photo or a document, a link button. You will first see it as recipients will, and how many they are.
broadcast-btn-new = ✏️ New broadcast
broadcast-btn-list = 📋 Broadcasts
broadcast-ask-text = Send the text of the broadcast (up to { $max } characters) — bold, italics and links are kept. Or send a photo or a document with a caption (up to { $caption } characters).
broadcast-too-long = Too long: { $length } characters, the limit is { $max }. Shorten it and send again.
broadcast-ask-button = Add a link button under the message? Send the button text and the address, e.g. <code>Register https://iro.example.ru/form</code>
broadcast-btn-no-button = No button
broadcast-bad-button = That did not work: I need a button text (up to { $max } characters) and an address starting with https://. For example: <code>Register https://iro.example.ru/form</code>
broadcast-audience =
    <b>Who gets it</b>
    { $filters }
    { $count ->
        [one] Recipients: { $count } person.
       *[other] Recipients: { $count } people.
    } Conditions can be combined.
broadcast-btn-methodists = Methodists only
broadcast-btn-young = Young teachers
broadcast-btn-no-diagnosis = No self-diagnosis yet
broadcast-btn-no-route = No route yet
broadcast-btn-municipality = Municipality…
broadcast-btn-subject = Subject…
broadcast-btn-preview = Done — preview ›
broadcast-pick-municipality = Choose a municipality:
broadcast-any-municipality = All municipalities
broadcast-pick-subject = Choose a subject:
broadcast-any-subject = All subjects
audience-all = every teacher of the region with a completed profile
audience-role = role: { $role }
audience-municipalities = municipality: { $names }
audience-schools =
    { $count ->
        [one] { $count } school
       *[other] { $count } schools
    }
audience-subject = subject: { $subject }
audience-young-only = young teachers (by the region's rule)
audience-no-diagnosis = no self-diagnosis yet
audience-no-route = no individual route yet
audience-event-going = registered for event #{ $event_id }
audience-event-invite = invited to event #{ $event_id }
broadcast-preview =
    ☝️ This is how recipients will see it.
    { $count ->
        [one] <b>Recipients: { $count }</b> person.
       *[other] <b>Recipients: { $count }</b> people.
    }
broadcast-btn-send-now = 🚀 Send now
broadcast-btn-schedule = 🕒 Schedule
broadcast-queued = Broadcast #{ $id } is queued. I will show the progress in a separate message.
broadcast-ask-time = When should it go out? Type the date and time as DD.MM.YYYY HH:MM (time zone { $tz }).
broadcast-bad-time = I did not understand the time. Use DD.MM.YYYY HH:MM, e.g. 25.12.2026 10:00 (time zone { $tz }).
broadcast-time-past = That time has passed. Give a time in the future (time zone { $tz }).
broadcast-scheduled = Broadcast #{ $id } is scheduled for { $when } ({ $tz }).
broadcast-wizard-cancelled = Broadcast cancelled, nothing was sent.
broadcast-list-title = <b>Recent broadcasts</b>
broadcast-list-empty = No broadcasts yet.
broadcast-line = #{ $id } · { $status } · { $when } · sent { $sent } of { $total }
broadcast-status-draft = draft
broadcast-status-scheduled = scheduled
broadcast-status-sending = sending
broadcast-status-done = done
broadcast-status-cancelled = cancelled
broadcast-btn-stop = Cancel #{ $id }
broadcast-cancelled = Broadcast #{ $id } cancelled: the remaining recipients will not get it.
broadcast-progress = Broadcast #{ $id }: sent { $sent } of { $total }, blocked { $blocked }, errors { $failed }
broadcast-report =
    <b>Broadcast #{ $id } finished</b>
    { $delivered ->
        [one] Delivered: { $delivered } message of { $total }.
       *[other] Delivered: { $delivered } messages of { $total }.
    }
    Blocked the bot: { $blocked }.
    Errors: { $failed }.
broadcast-preview-pace = ⏱ Sending takes { $eta } (at { $rate } messages a second).
broadcast-eta-moment = under a minute
broadcast-eta-minutes =
    { $minutes ->
        [one] ≈ { $minutes } minute
       *[other] ≈ { $minutes } minutes
    }
broadcast-eta-hours = ≈ { $hours } h { $minutes } min
broadcast-preview-stars = ⭐ Telegram paid broadcast: ≈ { $stars } Stars (0.1 Star for each message past the free 30 a second).
