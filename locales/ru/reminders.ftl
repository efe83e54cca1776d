## Напоминания

remind-diagnosis-unfinished =
    Вы начали самодиагностику и ответили на { $done ->
        [one] { $done } утверждение
        [few] { $done } утверждения
       *[many] { $done } утверждений
    }. Продолжим с того же места? Это займёт несколько минут.
remind-rediagnosis = С самодиагностики от { $date } прошёл год. Пройдите её снова — покажу, как изменились результаты.
remind-item-due =
    Пункт ИОМ «{ $title }»: срок — { $date } ({ $days ->
        [0] сегодня
        [one] через { $days } день
        [few] через { $days } дня
       *[many] через { $days } дней
    }).
remind-item-overdue = Срок пункта ИОМ «{ $title }» прошёл ({ $date }). Отметьте выполнение или перенесите срок.
remind-btn-open-item = Открыть пункт
remind-route-approval = { $name } отправил(а) ИОМ на согласование.
remind-btn-open-teacher = Открыть карточку педагога
remind-event-day = Завтра — «{ $title }»: { $when }, { $place }.
remind-event-hour = Через час — «{ $title }»: { $when }, { $place }.
remind-inactivity = Давно не виделись! Загляните в свой ИОМ и самодиагностику — там всё сохранено.
remind-btn-snooze-1 = ⏰ Напомнить завтра
remind-btn-snooze-7 = ⏰ Через неделю
remind-snoozed-1 = Напомню завтра.
remind-snoozed-7 = Напомню через неделю.
btn-notifications = 🔔 Уведомления
notify-settings = <b>Уведомления</b>. Нажмите, чтобы включить 🔔 или выключить 🔕. Напоминания не приходят с 21:00 до 08:00 по вашему времени.
notify-group-diagnosis = Самодиагностика
notify-group-route = Сроки ИОМ
notify-group-approval = Согласование ИОМ
notify-group-mentorship = Встречи наставничества
notify-group-events = Мероприятия
notify-group-inactivity = Если я давно не заходил(а)
notify-group-digest = Ежедневная сводка (методистам)
notify-off = Выключено.
notify-on = Включено.
