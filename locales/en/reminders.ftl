## Reminders

remind-diagnosis-unfinished =
    You started the self-diagnosis and answered { $done ->
        [one] { $done } statement
       *[other] { $done } statements
    }. Continue where you left off? It takes a few minutes.
remind-rediagnosis = A year has passed since your self-diagnosis of { $date }. Take it again — I will show how your results changed.
remind-item-due =
    Route item «{ $title }»: due { $date } ({ $days ->
        [0] today
        [one] in { $days } day
       *[other] in { $days } days
    }).
remind-item-overdue = The route item «{ $title }» was due on { $date }. Mark it done or move the date.
remind-btn-open-item = Open the item
remind-route-approval = { $name } sent a route (ИОМ) for approval.
remind-btn-open-teacher = Open the teacher's card
remind-event-day = Tomorrow — «{ $title }»: { $when }, { $place }.
remind-event-hour = In an hour — «{ $title }»: { $when }, { $place }.
remind-inactivity = It has been a while! Your route and self-diagnosis are waiting for you — everything is saved.
remind-btn-snooze-1 = ⏰ Remind me tomorrow
remind-btn-snooze-7 = ⏰ In a week
remind-snoozed-1 = I will remind you tomorrow.
remind-snoozed-7 = I will remind you in a week.
btn-notifications = 🔔 Notifications
notify-settings = <b>Notifications</b>. Press to switch on 🔔 or off 🔕. Reminders never arrive between 21:00 and 08:00 your time.
notify-group-diagnosis = Self-diagnosis
notify-group-route = Route deadlines
notify-group-approval = Route approval
notify-group-mentorship = Mentorship meetings
notify-group-events = Events
notify-group-inactivity = When I have been away
notify-group-digest = Daily digest (methodists)
notify-off = Switched off.
notify-on = Switched on.
