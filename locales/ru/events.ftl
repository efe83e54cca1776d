## Мероприятия

event-kind-seminar = Семинар
event-kind-webinar = Вебинар
event-kind-master_class = Мастер-класс
event-kind-conference = Конференция
event-kind-readings = Педагогические чтения
event-kind-contest = Конкурс
event-kind-round_table = Круглый стол
event-kind-open_lesson = Открытый урок

event-duration-h =
    { $hours ->
        [one] { $hours } час
        [few] { $hours } часа
       *[many] { $hours } часов
    }
event-duration-m =
    { $minutes ->
        [one] { $minutes } минута
        [few] { $minutes } минуты
       *[many] { $minutes } минут
    }
event-duration-hm = { $hours } ч { $minutes } мин
event-when = 🕒 { $when } ({ $zone })
event-time = { $when }, { $duration }
event-head = <b>{ $title }</b> — { $kind }
event-place = 📍 { $place }
event-link = 🔗 { $url }
event-seats-left = Свободных мест: { $left } из { $seats }
event-seats-none = Мест нет (всего { $seats })
event-seats-unlimited = Без ограничения мест
event-seats-total = Мест: { $seats }
event-seats-no-limit = Без ограничения мест
event-areas = Области: { $areas }
event-description = { $text }
event-answer-going = ✓ вы идёте
event-answer-not-going = вы не сможете

events-list =
    <b>Ближайшие мероприятия</b>
    { $count ->
        [one] Впереди { $count } мероприятие.
        [few] Впереди { $count } мероприятия.
       *[many] Впереди { $count } мероприятий.
    } Время — по вашему региону.

    { $lines }

    Страница { $page } из { $pages }. Нажмите номер, чтобы открыть мероприятие.
events-none = Ближайших мероприятий в вашем регионе пока нет. Когда они появятся, мы пришлём объявление.
event-line =
    { $number }. <b>{ $title }</b> — { $kind }
    { $details }
event-you-going = ✓ Вы идёте. Напомним за день и за час до начала.
event-you-not-going = Вы ответили, что не сможете.
event-full = Мест нет.
event-started = Это мероприятие уже началось — ответить на него нельзя.
event-started-mark = Мероприятие уже началось.
event-not-started = Мероприятие ещё не началось: посещение отмечают после начала.
event-rsvp-going = Записали: вы идёте. Напомним за день и за час.
event-rsvp-not-going = Отметили: вы не сможете.
event-rsvp-same-going = Вы уже записаны на это мероприятие.
event-rsvp-same-not-going = Вы уже ответили, что не сможете.
event-rsvp-full = К сожалению, свободных мест уже нет.
event-btn-back = ‹ К списку
event-btn-mine = 📋 Мои мероприятия
event-btn-attendance = ✅ Отметить посещение
event-btn-past = ‹ К прошедшим
events-mine =
    <b>Мои мероприятия</b> — куда вы записались:

    { $lines }
events-mine-none = Вы пока никуда не записались. Откройте мероприятие и нажмите «Пойду».
event-mine-line = • <b>{ $title }</b> · { $details }

## Мероприятия: администратор

event-admin-list =
    <b>Мероприятия</b>
    { $count ->
        [one] Впереди { $count } мероприятие.
        [few] Впереди { $count } мероприятия.
       *[many] Впереди { $count } мероприятий.
    }

    { $lines }

    Страница { $page } из { $pages }.
event-admin-none = Предстоящих мероприятий нет. Создайте новое.
event-admin-line =
    { $number }. <b>{ $title }</b> — { $kind }
    { $when } · идут: { $going } из { $seats }
event-btn-create = ➕ Создать
event-btn-announce = 📣 Объявить рассылкой
event-btn-to-admin-list = ‹ К мероприятиям
event-btn-no-limit = Без ограничения
event-btn-skip = Пропустить
event-btn-save = ✅ Создать мероприятие

event-ask-title = Шаг { $step } из { $steps }. Введите название мероприятия (до { $max } символов).
event-ask-kind = Шаг { $step } из { $steps }. Выберите вид мероприятия:
event-ask-start =
    Шаг { $step } из { $steps }. Когда начало? Дата и время по времени региона ({ $zone }, { $offset }) в формате ДД.ММ.ГГГГ ЧЧ:ММ.
    Например: 10.12.2026 15:00
event-ask-duration = Шаг { $step } из { $steps }. Продолжительность: выберите или введите число минут (от { $min } до { $max }).
event-ask-place = Шаг { $step } из { $steps }. Где пройдёт? Введите адрес или ссылку, начинающуюся с https://
event-ask-seats = Шаг { $step } из { $steps }. Сколько мест? Введите число (от 1 до { $max }) или нажмите «Без ограничения».
event-ask-description = Шаг { $step } из { $steps }. Описание для участников (программа, спикеры) — или «Пропустить».
event-ask-areas = Шаг { $step } из { $steps }. Для каких областей компетенций это мероприятие? Отметьте нужные или пропустите.
event-ask-confirm =
    Проверьте мероприятие:

    { $preview }

    Всё верно?
event-wizard-cancelled = Создание мероприятия отменено.
event-created-toast = Мероприятие создано.
event-created = ✅ Мероприятие создано. Объявите его рассылкой, чтобы учителя могли ответить «Пойду».

event-err-title-empty = Название не может быть пустым.
event-err-title-long = Название длиннее { $max } символов — сократите его.
event-err-start-format = Не понял дату и время. Нужен формат ДД.ММ.ГГГГ ЧЧ:ММ, например 10.12.2026 15:00.
event-err-start-invalid = Такой даты или времени не бывает. Проверьте день, месяц и часы.
event-err-start-past = Это время уже прошло — укажите начало в будущем.
event-err-start-far = Слишком далеко: мероприятие можно создать не более чем на два года вперёд.
event-err-duration-format = Нужно число минут, например 90.
event-err-duration-range = Продолжительность — от { $min_minutes } до { $max_minutes } минут.
event-err-place-empty = Укажите адрес или ссылку.
event-err-place-long = Адрес длиннее { $max_place } символов — сократите его.
event-err-link-https = Ссылка должна начинаться с https:// (защищённое соединение).
event-err-link-bad = Ссылка не похожа на адрес сайта: без пробелов, например https://example.ru/webinar
event-err-seats-format = Нужно целое число мест, например 30, или кнопка «Без ограничения».
event-err-seats-range = Число мест — от 1 до { $max_seats }.
event-err-description-empty = Описание пустое — напишите текст или нажмите «Пропустить».
event-err-description-long = Описание длиннее { $max_text } символов — сократите его.

event-announce-ask = Кому объявить «{ $title }»? Под объявлением будут кнопки «Пойду» / «Не смогу».
event-btn-announce-all = 👩‍🏫 Всем учителям региона
event-btn-announce-subjects = 📚 Учителям предметов: { $subjects }
event-announce-already = Объявление об этом мероприятии уже в очереди рассылки.
event-announcement =
    📅 <b>Приглашаем на мероприятие</b>

    { $details }
event-announced = 📣 Объявление о «{ $title }» поставлено в рассылку. Ход отправки — в разделе «Рассылка».

## Мероприятия: посещение

event-past-list =
    <b>Прошедшие мероприятия</b> — выберите, чтобы отметить посещение:

    { $lines }

    Страница { $page } из { $pages }.
event-past-none = За последние два месяца мероприятий не было.
event-past-line = { $number }. <b>{ $title }</b> · { $when } · записались: { $going }
event-attendance =
    <b>{ $title }</b>
    Отметьте, кто пришёл: пришли { $attended } из { $going }. Нажмите на имя, чтобы переключить.
    Страница { $page } из { $pages }.
event-attendance-nobody = На «{ $title }» никто не записывался.
event-marked = Отмечено: пришёл(а).
event-unmarked = Отметка снята.
