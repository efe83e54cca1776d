## Наставничество

mentor-intro =
    <b>Наставничество</b>
    Молодым педагогам (до { $age } лет и в первые { $years ->
        [one] { $years } год
        [few] { $years } года
       *[many] { $years } лет
    } работы) региональная система помогает найти наставника. Есть и другие формы: пара по компетенции — коллега, сильный в том, что вам нужно развить, и управленческое наставничество для руководителей.
mentor-form-young = наставник – молодой специалист
mentor-form-peer = пара по компетенции
mentor-form-management = управленческое наставничество
mentor-you-mentee = 👤 Ваш наставник: { $name } ({ $form })
mentor-you-mentor = 👥 Ваш подопечный: { $name } ({ $form })
mentor-pending = Запрос отправлен: { $name }. Ждём ответа до { $until }.
mentor-delivery-sending = Сообщение наставнику отправляется.
mentor-delivery-delivered = ✓ Доставлено наставнику; запрос ждёт его ответа во «Входящих».
mentor-delivery-blocked = ⚠️ Не доставлено: наставник заблокировал бота. Запрос ждёт во «Входящих», но он может его не увидеть — можно отозвать запрос и выбрать другого.
mentor-delivery-failed = ⚠️ Сообщение наставнику не доставлено. Запрос ждёт его во «Входящих»; можно отозвать запрос и выбрать другого.
mentor-btn-cancel-request = ✖ Отменить запрос
mentor-young-offer = Вы молодой педагог — вот наставники, которые вам подходят:
mentor-none-available = Свободных наставников, которые вам подходят, сейчас нет. Методист видит, что вы ждёте, и поможет.
mentor-candidate =
    <b>{ $name }</b> — { $school }
    Предметы: { $subjects }
    <i>{ $reasons }</i>
mentor-reason-school-subject = тот же предмет и та же школа ({ $subjects })
mentor-reason-place-subject = тот же предмет и тот же муниципалитет ({ $subjects })
mentor-reason-subject = тот же предмет ({ $subjects })
mentor-reason-strength = сильная сторона в ваших дефицитах: { $areas }
mentor-reason-load = подопечных: { $load } из { $capacity }
mentor-btn-ask = Попросить: { $name }
mentor-btn-peer = 🤝 Найти коллегу по дефициту
mentor-btn-management = 🧭 Управленческое наставничество
mentor-btn-optin = ⭐ Готов быть наставником
mentor-btn-optout = Больше не быть наставником
mentor-peer-choose = По какой компетенции нужен коллега?
mentor-list-young = Наставники для молодого педагога:
mentor-list-peer = Коллеги, сильные в области «{ $area }»:
mentor-list-management = Наставники-руководители:
mentor-unavailable = Этот наставник сейчас недоступен: выберите другого.
mentor-requested = Запрос отправлен: { $name }. Если ответа не будет { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }, я предложу следующего наставника.
mentor-request-received =
    <b>Запрос на наставничество</b> ({ $form })
    { $name } — { $school }
    Предметы: { $subjects }
    Дефициты по самодиагностике: { $deficits }
    Ответьте, пожалуйста, до { $until }.
mentor-btn-accept = ✅ Принять
mentor-btn-decline = Отклонить
mentor-request-cancelled = Запрос отменён.
mentor-capacity-full = У вас уже { $capacity } подопечных — это предел. Завершите одну из пар или откажитесь от запроса.
mentor-accepted-you = Вы приняли запрос: { $name }. Контакты и план пары — в следующем сообщении.
mentor-pair-mentee =
    <b>Наставник найден!</b> { $name } ({ $form }).
    Контакт: { $contact }
    Цели пары (по вашим дефицитам): { $goals }
    Договоритесь о первой встрече и записывайте встречи здесь — напомню, если их не будет { $days } дней.
mentor-pair-mentor =
    <b>Новая пара</b> ({ $form }): ваш подопечный — { $name }.
    Контакт: { $contact }
    Цели пары: { $goals }
    Записывайте встречи здесь — напомню, если их не будет { $days } дней.
mentor-btn-open-pair = Открыть пару
mentor-decline-ask = Напишите коротко, почему вы отказываетесь (это увидит педагог), или нажмите «Без комментария».
mentor-btn-no-comment = Без комментария
mentor-declined-you = Запрос отклонён. Спасибо, что ответили.
mentor-declined = { $name } не может стать вашим наставником. Предлагаю других.
mentor-declined-with-message = { $name } не может стать вашим наставником: «{ $message }». Предлагаю других.
mentor-request-lapsed = { $name } не ответил(а) на запрос вовремя. Можно попросить другого наставника.
mentor-pair-card =
    <b>Пара наставничества</b> ({ $form }) · { $status }
    Наставник: { $mentor }
    Подопечный: { $mentee }
    С { $since } · цели: { $goals }
    Встреч: { $count }
    { $history }
mentor-pair-active = действует
mentor-pair-closed = завершена
mentor-no-meetings = Встреч пока не записано.
mentor-meeting-line = • { $date }: { $topic } { $note }
mentor-outcome = Итог: { $outcome }
mentor-btn-log = 📝 Записать встречу
mentor-btn-close = Завершить пару
mentor-btn-skip = Пропустить
mentor-ask-date = Когда была встреча? Дата в формате ДД.ММ.ГГГГ:
mentor-date-before-pair = Пара действует с { $since }: встреча не может быть раньше. Напишите другую дату.
mentor-ask-topic = Тема встречи (коротко):
mentor-ask-note = Заметка о встрече: что обсудили, о чём договорились. Или «Пропустить».
mentor-meeting-saved = Встреча записана.
mentor-ask-outcome = Напишите итог работы пары: чего удалось достичь.
mentor-closed = Пара завершена, история сохранена.
mentor-close-confirm = Завершить пару с { $name }? Пара закроется, когда вы напишете итог. Передумали — нажмите «Отмена».
methodist-close-confirm = Завершить пару: { $mentee } — наставник { $mentor }? Пара закроется, когда вы напишете итог. Передумали — нажмите «Отмена».
mentor-closed-other = { $name } завершил(а) пару наставничества. Итог: { $outcome }
mentor-meeting-reminder = Напоминание: в паре с { $name } нет записанных встреч уже { $days } дней. Запишите встречу в разделе «Наставничество».
mentor-optin-too-early = Наставником можно стать при педагогическом стаже от { $years } лет.
mentor-ask-contact = Как с вами связаться подопечному, кроме { $messenger } (телефон, почта)? Это увидит только тот, чей запрос вы примете. Или нажмите «Только { $messenger }».
mentor-btn-messenger-only = Только { $messenger }
mentor-enrolled = Вы в реестре наставников. Подопечных — не больше { $capacity }; запросы придут сюда.
mentor-left-registry = Вы больше не в реестре наставников. Действующие пары продолжаются.
mentor-nominated-you = { $name } (методист) выдвинул(а) вас в реестр наставников. Спасибо! Выйти из реестра можно в разделе «Наставничество».

## Кабинет методиста

methodist-menu = <b>Кабинет методиста</b>
methodist-btn-unsupported = 👶 Молодые педагоги без наставника
methodist-btn-pairs = 🤝 Действующие пары
methodist-btn-nominate = ⭐ Выдвинуть наставника
methodist-young = Молодых педагогов в регионе: { $total }. Участвуют в различных формах поддержки и сопровождения (C-6/R-5, текущий период): { $share }%, целевое значение — не менее { $target }%. Без наставника: { $waiting } — выберите педагога, чтобы назначить наставника.
methodist-candidates = Наставники для { $name }:
methodist-btn-assign = Назначить: { $name }
methodist-assigned = Пара создана, обоим отправлены контакты.
methodist-reassigned-outcome = переназначено методистом
methodist-pairs = Действующих пар: { $count }.
methodist-pair = { $mentee } ← { $mentor }
methodist-pair-card =
    <b>Пара</b>: { $mentee } ← { $mentor }
    С { $since } · встреч: { $count } · последняя: { $last }
methodist-btn-reassign = Переназначить наставника
methodist-btn-close = Завершить пару
methodist-nominees = Педагоги со стажем от { $years } лет, которых нет в реестре наставников. Нажмите, чтобы выдвинуть:
methodist-nominated = Педагог добавлен в реестр наставников.
mentor-goals-open = определите вместе на первой встрече (самодиагностики ещё нет)
methodist-btn-digest = 📋 Сводка за день
methodist-btn-teachers = 👩‍🏫 Мои педагоги
