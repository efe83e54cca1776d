## Рассылки (администратор)

broadcast-home = <b>Рассылка</b>
    Сообщение педагогам региона: текст с форматированием, фото или документ, кнопка-ссылка. Сначала покажу, как его увидят получатели, и сколько их.
broadcast-btn-new = ✏️ Новая рассылка
broadcast-btn-list = 📋 Список рассылок
broadcast-ask-text = Пришлите текст рассылки (до { $max } символов) — жирный, курсив и ссылки сохранятся. Можно прислать фото или документ с подписью (до { $caption } символов).
broadcast-too-long = Слишком длинно: { $length } символов при пределе { $max }. Сократите и пришлите снова.
broadcast-ask-button = Добавить под сообщением кнопку-ссылку? Пришлите текст кнопки и адрес, например: <code>Записаться https://iro.example.ru/form</code>
broadcast-btn-no-button = Без кнопки
broadcast-bad-button = Не получилось: нужен текст кнопки (до { $max } символов) и адрес, начинающийся с https://. Например: <code>Записаться https://iro.example.ru/form</code>
broadcast-audience =
    <b>Кому отправить</b>
    { $filters }
    { $count ->
        [one] Получателей: { $count } человек.
        [few] Получателей: { $count } человека.
       *[many] Получателей: { $count } человек.
    } Условия можно сочетать.
broadcast-btn-methodists = Только методисты
broadcast-btn-young = Молодые педагоги
broadcast-btn-no-diagnosis = Без самодиагностики
broadcast-btn-no-route = Без ИОМ
broadcast-btn-municipality = Муниципалитет…
broadcast-btn-subject = Предмет…
broadcast-btn-preview = Готово — предпросмотр ›
broadcast-pick-municipality = Выберите муниципалитет:
broadcast-any-municipality = Все муниципалитеты
broadcast-pick-subject = Выберите предмет:
broadcast-any-subject = Все предметы
audience-all = все педагоги региона с заполненным профилем
audience-role = роль: { $role }
audience-municipalities = муниципалитет: { $names }
audience-schools =
    { $count ->
        [one] { $count } школа
        [few] { $count } школы
       *[many] { $count } школ
    }
audience-subject = предмет: { $subject }
audience-young-only = молодые педагоги (по правилу региона)
audience-no-diagnosis = ещё не прошли самодиагностику
audience-no-route = ещё нет ИОМ
audience-event-going = записались на мероприятие №{ $event_id }
audience-event-invite = приглашённые на мероприятие №{ $event_id }
broadcast-preview =
    ☝️ Так сообщение увидят получатели.
    { $count ->
        [one] <b>Получателей: { $count }</b> человек.
        [few] <b>Получателей: { $count }</b> человека.
       *[many] <b>Получателей: { $count }</b> человек.
    }
broadcast-btn-send-now = 🚀 Отправить сейчас
broadcast-btn-schedule = 🕒 Запланировать
broadcast-queued = Рассылка №{ $id } поставлена в очередь. Прогресс покажу отдельным сообщением.
broadcast-ask-time = Когда отправить? Напишите дату и время в формате ДД.ММ.ГГГГ ЧЧ:ММ (часовой пояс { $tz }).
broadcast-bad-time = Не понял время. Нужен формат ДД.ММ.ГГГГ ЧЧ:ММ, например 25.12.2026 10:00 (часовой пояс { $tz }).
broadcast-time-past = Это время уже прошло. Укажите время в будущем (часовой пояс { $tz }).
broadcast-scheduled = Рассылка №{ $id } запланирована на { $when } ({ $tz }).
broadcast-wizard-cancelled = Рассылка отменена, ничего не отправлено.
broadcast-list-title = <b>Последние рассылки</b>
broadcast-list-empty = Рассылок пока не было.
broadcast-line = №{ $id } · { $status } · { $when } · отправлено { $sent } из { $total }
broadcast-status-draft = черновик
broadcast-status-scheduled = запланирована
broadcast-status-sending = отправляется
broadcast-status-done = завершена
broadcast-status-cancelled = отменена
broadcast-btn-stop = Отменить №{ $id }
broadcast-cancelled = Рассылка №{ $id } отменена: остальным получателям она не придёт.
broadcast-progress = Рассылка №{ $id }: отправлено { $sent } из { $total }, заблокировали { $blocked }, ошибок { $failed }
broadcast-report =
    <b>Рассылка №{ $id } завершена</b>
    { $delivered ->
        [one] Доставлено: { $delivered } сообщение из { $total }.
        [few] Доставлено: { $delivered } сообщения из { $total }.
       *[many] Доставлено: { $delivered } сообщений из { $total }.
    }
    Заблокировали бота: { $blocked }.
    Ошибок: { $failed }.
broadcast-preview-pace = ⏱ Отправка займёт { $eta } (по { $rate } сообщ. в секунду).
broadcast-eta-moment = меньше минуты
broadcast-eta-minutes =
    { $minutes ->
        [one] ≈ { $minutes } минуту
        [few] ≈ { $minutes } минуты
       *[many] ≈ { $minutes } минут
    }
broadcast-eta-hours = ≈ { $hours } ч { $minutes } мин
broadcast-preview-stars = ⭐ Платная рассылка Telegram: ≈ { $stars } Stars (0,1 Star за каждое сообщение сверх бесплатных 30 в секунду).
