## Общие слова и кнопки

yes = да
no = нет
language-name = русский
language-switched = Язык интерфейса: русский.
btn-switch-language = 🌐 English
btn-prev = ‹ Назад
btn-next = Далее ›
btn-back = ‹ В меню
btn-done = Готово ✓
btn-cancel = Отмена
btn-not-in-list = Нет в списке
picker-page = { $page } / { $pages }

role-teacher = педагог
role-methodist = методист
role-admin = администратор

## Начало и согласие (152-ФЗ)

start-greeting =
    Здравствуйте! Я — помощник единой федеральной системы научно-методического сопровождения педагогических работников (ЕФС).
    Помогу пройти самодиагностику — самооценку, ваш предварительный запрос на развитие, увидеть результаты диагностики ЦНППМ, составить индивидуальный образовательный маршрут (ИОМ), найти курсы из ФР ДПП, стажировочные площадки, мероприятия и наставника.
consent-request =
    <b>Согласие на обработку персональных данных</b>
    Чтобы составить ваш профиль и маршрут, мне нужно хранить ФИО, должность, место работы, предметы, дату рождения, педагогический стаж и квалификационную категорию (Федеральный закон № 152-ФЗ «О персональных данных»).
    Данные видят только вы, ваш методист и администраторы региональной системы. Посмотреть их можно командой /mydata, удалить — командой /forget.
btn-consent-yes = Согласен
btn-consent-no = Не согласен
consent-declined = Хорошо, я ничего не сохранил. Если передумаете, отправьте /start.
consent-given = ✓ Согласие получено. Спасибо!

invite-invalid = Ссылка-приглашение недействительна: она уже использована, отозвана или срок её действия истёк. Попросите администратора прислать новую.
invite-accepted = Приглашение принято. Ваша роль: <b>{ $role }</b>.
need-start = Сначала нужно начать работу: отправьте /start.

## Анкета

wizard-resume = Продолжим заполнять профиль с того места, где остановились.
wizard-done =
    Профиль заполнен. Вот что я сохранил:

    { $profile }

    Изменить любые данные можно в разделе «Профиль».
ask-full-name = Как вас зовут? Напишите фамилию, имя и отчество (например: <i>Иванова Мария Петровна</i>).
ask-position = Ваша должность:
ask-region = Выберите регион:
ask-municipality = Выберите муниципалитет или напишите часть названия, чтобы сузить список:
ask-school = Выберите образовательную организацию или напишите часть названия, чтобы сузить список:
ask-municipality-custom = Напишите название муниципалитета:
ask-school-custom = Напишите название вашей образовательной организации:
ask-subjects = Какие предметы вы ведёте? Отметьте один или несколько и нажмите «Готово».
ask-birth-date = Дата рождения в формате ДД.ММ.ГГГГ (например: 14.05.1992):
ask-work-start = В каком году вы начали педагогическую работу? Напишите год, например: 2019.
ask-qualification = Квалификационная категория:
ask-staff-title =
    Вы заполняете профиль сотрудника: вопросов о педагогической работе не будет.
    Ваша роль:
ask-organisation = Напишите название вашей организации (например: <i>ЦНППМ Костромской области</i>):
ask-also-teacher = Вы тоже ведёте педагогическую работу? Тогда заполните и профиль педагога: вас будут учитывать как педагога в показателях.
staff-title-regional_methodist = Региональный методист
staff-title-municipal_methodist = Муниципальный методист
staff-title-tutor = Тьютор
staff-title-cnppm = Специалист { $cnppm }
staff-title-iro = Специалист { $iro }
staff-title-mms = Специалист ММС
staff-title-administrator = Администратор
btn-also-teacher-yes = Да, я тоже педагог
btn-also-teacher-no = Нет
err-organisation-empty = Похоже, сообщение пустое.
err-organisation-too-long = Слишком длинно: { $length } символов, а можно не больше { $max }.
err-organisation-letters = Напишите название словами, например: ЦНППМ Костромской области.
picker-nothing-found = По запросу «{ $query }» ничего не нашлось. Попробуйте иначе или нажмите «Нет в списке».
picker-found =
    { $count ->
        [one] По запросу «{ $query }» найден { $count } вариант.
        [few] По запросу «{ $query }» найдено { $count } варианта.
       *[many] По запросу «{ $query }» найдено { $count } вариантов.
    } Выберите или напишите иначе.

position-teacher = Учитель
position-head = Руководитель
position-deputy = Заместитель руководителя
position-unit_head = Руководитель структурного подразделения
position-addl_ed = Педагог дополнительного образования
position-other = Другое

qualification-none = Без категории
qualification-conformity = Соответствие занимаемой должности
qualification-first = Первая
qualification-highest = Высшая
qualification-methodist = Педагог-методист
qualification-mentor = Педагог-наставник

subject-primary = Начальные классы
subject-russian = Русский язык
subject-literature = Литература
subject-native = Родной язык и литература
subject-foreign = Иностранный язык
subject-math = Математика
subject-informatics = Информатика
subject-physics = Физика
subject-chemistry = Химия
subject-biology = Биология
subject-geography = География
subject-history = История
subject-social = Обществознание
subject-arts = ИЗО
subject-music = Музыка
subject-technology = Труд (технология)
subject-pe = Физическая культура
subject-obzr = ОБЗР
subject-preschool = Дошкольное образование
subject-addl = Дополнительное образование
subject-other = Другое

## Ошибки ввода

err-fio-empty = Похоже, сообщение пустое.
err-fio-too-long = Слишком длинно: { $length } символов, а можно не больше { $max }.
err-fio-chars = В ФИО могут быть только буквы, пробелы, дефис и апостроф.
err-fio-short = Напишите хотя бы фамилию и имя.
err-name-empty = Похоже, сообщение пустое.
err-name-too-long = Слишком длинно: { $length } символов, а можно не больше { $max }.
err-name-letters = Напишите название словами, например: МБОУ СОШ № 5.
err-date-format = Не получилось прочитать дату. Нужен формат ДД.ММ.ГГГГ, например 14.05.1992.
err-date-impossible = Такой даты не бывает. Проверьте день и месяц.
err-date-future = Эта дата ещё не наступила.
err-age-range =
    { $age ->
        [one] По этой дате вам { $age } год,
        [few] По этой дате вам { $age } года,
       *[many] По этой дате вам { $age } лет,
    } а профиль рассчитан на возраст от { $min } до { $max } лет. Проверьте год.
err-year-format = Нужен год из четырёх цифр, например 2019.
err-year-future = Этот год ещё не наступил.
err-year-too-young = Получается, что вы начали работать раньше { $min } лет. Самый ранний возможный год — { $earliest }.
err-year-too-old = Проверьте год: он слишком давний.
err-text-expected = Здесь нужен ответ текстом — пришлите его сообщением.
err-button-expected = Пожалуйста, выберите вариант кнопкой ниже.
err-subjects-empty = Отметьте хотя бы один предмет.
err-stale-button = Эта кнопка устарела. Откройте раздел заново из меню.

## Профиль

profile-card =
    <b>Профиль</b>
    ФИО: { $full_name }
    Должность: { $position }
    Регион: { $region }
    Муниципалитет: { $municipality }
    Организация: { $school }
    Предметы: { $subjects }
    Дата рождения: { $birth_date }
    Начало педагогической работы: { $work_start }
    Квалификационная категория: { $qualification }
    Молодой педагог: { $young }
    Роль: { $role }
    Язык: { $language }
birth-date-with-age =
    { $date } ({ $age ->
        [one] { $age } год
        [few] { $age } года
       *[many] { $age } лет
    })
work-start-with-experience =
    { $year } (стаж { $years ->
        [one] { $years } год
        [few] { $years } года
       *[many] { $years } лет
    })
btn-edit-full-name = ✏️ ФИО
btn-edit-position = ✏️ Должность
btn-edit-workplace = ✏️ Место работы
btn-edit-subjects = ✏️ Предметы
btn-edit-birth-date = ✏️ Дата рождения
btn-edit-work-start = ✏️ Начало работы
btn-edit-qualification = ✏️ Категория
staff-card =
    <b>Профиль сотрудника</b>
    ФИО: { $full_name }
    Роль: { $staff_title }
    Организация: { $organisation }
    Регион: { $region }
    Муниципалитет: { $municipality }
    Я тоже педагог: { $also_teacher }
    Доступ: { $role }
    Язык: { $language }
profile-mms = Методическая служба: { $name }
staff-card-teaching =
    <b>Как педагог</b>
    Должность: { $position }
    Место работы: { $school }
    Предметы: { $subjects }
    Дата рождения: { $birth_date }
    Начало педагогической работы: { $work_start }
    Квалификационная категория: { $qualification }
    Молодой педагог: { $young }
btn-edit-staff-title = ✏️ Роль
btn-edit-organisation = ✏️ Организация
btn-edit-also-teacher = ✏️ Я тоже педагог

## Главное меню

menu-diagnosis = 🧭 Самодиагностика
menu-route = 🗺 Мой ИОМ
menu-internships = 🏫 Стажировки
menu-mentorship = 🤝 Наставничество
menu-events = 📅 Мероприятия
menu-profile = 👤 Профиль
menu-help = ❓ Помощь
menu-methodist = 🗂 Кабинет методиста
menu-admin = ⚙️ Администрирование
menu-intro = Выберите раздел в меню внизу экрана.
menu-welcome-back = С возвращением! Выберите раздел в меню внизу экрана.
not-understood = Я не понял сообщение. Выберите раздел в меню внизу экрана или отправьте /help.
unknown-command = Такой команды нет. Доступные команды: /start, /menu, /help, /mydata, /forget.

help =
    <b>Что я умею</b>
    🧭 <b>Самодиагностика</b> — самооценка, предварительный запрос на развитие; там же результаты диагностики ЦНППМ.
    🗺 <b>Мой ИОМ</b> — индивидуальный образовательный маршрут по результатам диагностики ЦНППМ (пока их нет — по самодиагностике).
    🏫 <b>Стажировки</b> — стажировочные площадки региона.
    🤝 <b>Наставничество</b> — наставник для молодого педагога.
    📅 <b>Мероприятия</b> — семинары, вебинары, конференции.
    👤 <b>Профиль</b> — ваши данные и язык.

    Команды: /start — начать, /menu — меню, /mydata — мои данные, /forget — удалить мои данные.
help-staff = Для сотрудников: /admin — администрирование, /caseload — закрепление педагогов (администраторам); /digest — сводка, «🗂 Кабинет методиста» — педагоги, ИОМ и наставничество (методистам); /schools — конкурсы и опыт школ.


## Мои данные

mydata-summary =
    <b>Что хранится о вас</b>
    { $messenger } ID: { $account_id }
    Согласие дано: { $consent_at }
    Роль: { $role }
    ФИО: { $full_name }
    Регион: { $region }
    Муниципалитет: { $municipality }
    Организация: { $school }
    Предметы: { $subjects }
    Дата рождения: { $birth_date }
    Начало педагогической работы: { $work_start }
    Квалификационная категория: { $qualification }
    Приглашений, связанных с вами: { $invites }
mydata-rows = <b>Ещё о вас хранится</b> (подробно — в файле):
mydata-rows-none = • больше ничего
mydata-section-diagnoses = • диагностики: { $count }
mydata-section-diagnosis_answers = • ответы на утверждения диагностик: { $count }
mydata-section-routes = • ИОМ: { $count }
mydata-section-route_items = • пункты ИОМ (с подтверждениями): { $count }
mydata-section-internship_applications = • заявки на стажировки: { $count }
mydata-section-event_responses = • отклики на мероприятия и отметки о посещении: { $count }
mydata-section-professional_records = • участие в конкурсах, представленный опыт, роли тьютора, эксперта, члена жюри: { $count }
mydata-section-mentor_profiles = • анкета наставника: { $count }
mydata-section-mentor_requests = • запросы наставничества: { $count }
mydata-section-mentor_pairs = • пары наставничества: { $count }
mydata-section-mentor_meetings = • встречи наставничества: { $count }
mydata-section-caseloads = • закрепления педагогов за методистом: { $count }
mydata-section-methodist_settings = • настройки сводки методиста: { $count }
mydata-section-invites = • приглашения: { $count }
mydata-section-linked_accounts = • связанные аккаунты в других мессенджерах: { $count }
mydata-section-link_codes = • коды для связи аккаунтов: { $count }
mydata-section-outbox = • сообщения бота вам (напоминания, уведомления): { $count }
mydata-section-broadcast_deliveries = • полученные рассылки: { $count }
mydata-section-broadcasts = • созданные вами рассылки: { $count }
mydata-section-events = • созданные вами мероприятия: { $count }
mydata-section-audit_log = • записи журнала действий (ваших и о вас): { $count }
mydata-acted-on = • отметки о ваших действиях с записями других людей: { $count }
mydata-conversation = • незаконченный диалог с ботом
mydata-file = Все данные в машиночитаемом виде (JSON).
forget-confirm = Удалить все ваши данные? Профиль и всё, что с ним связано, будут стёрты без возможности восстановления.
btn-forget-yes = Да, удалить всё
forget-cancelled = Удаление отменено, данные на месте.
forget-done = Все ваши данные удалены.
forget-after = Чтобы начать заново, отправьте /start.

## Администрирование

no-access = Нет доступа: этот раздел не для вашей роли.
admin-menu = <b>Администрирование</b>
    Закрепить педагогов за методистами: /caseload
admin-btn-invite-methodist = ➕ Пригласить методиста
admin-btn-invite-admin = ➕ Пригласить администратора
admin-btn-invites = 🔗 Действующие приглашения
admin-btn-staff = 👥 Сотрудники
admin-btn-broadcast = 📣 Рассылка
admin-btn-events = 📅 Мероприятия
admin-btn-import = 📥 Импорт каталогов
admin-btn-indicators = 📊 Показатели
admin-invite-created =
    Приглашение для роли «{ $role }» создано. Перешлите ссылку тому, кого приглашаете:
    { $link }
    Ссылка одноразовая и действует до { $expires }.
admin-invites-none = Действующих приглашений нет.
admin-invites =
    { $count ->
        [one] { $count } действующее приглашение.
        [few] { $count } действующих приглашения.
       *[many] { $count } действующих приглашений.
    } Нажмите на приглашение, чтобы отозвать его.
admin-invite-revoke = ✖ { $role }, до { $expires }
admin-invite-revoked = Приглашение отозвано.
admin-revoke-confirm = Отозвать приглашение ({ $role }, действует до { $expires })? Ссылка перестанет работать.
admin-btn-revoke-yes = Да, отозвать
admin-staff =
    { $count ->
        [one] { $count } сотрудник.
        [few] { $count } сотрудника.
       *[many] { $count } сотрудников.
    } Нажмите, чтобы снять роль (человек станет педагогом).
admin-staff-none = Других методистов и администраторов пока нет.
admin-staff-demote = ✖ { $name } — { $role }
admin-demoted = Роль снята.
admin-demote-confirm =
    Снять роль { $role ->
        [methodist] методиста
       *[admin] администратора
    }: { $name }?
    Он(а) станет педагогом и потеряет доступ к разделам сотрудников.
admin-btn-demote-yes = Да, снять

## Системное

error-generic = Что-то пошло не так, ваше действие не выполнено. Попробуйте ещё раз или отправьте /start.
command-start = Начать работу
command-menu = Главное меню
command-help = Помощь
command-mydata = Мои данные
command-forget = Удалить мои данные
cli-no-token =
    Не задан BOT_TOKEN. Получите токен у @BotFather в Telegram (команда /newbot) и запустите:
      BOT_TOKEN=123456:ABC... python -m bot run
    или запишите BOT_TOKEN=... в файл .env.
    Для MAX задайте MAX_TOKEN (токен бота с business.max.ru); можно оба сразу.
    Попробовать бота без Telegram можно прямо в терминале: python -m bot sandbox
cli-no-webhook-url =
    Не задан WEBHOOK_BASE_URL — публичный https-адрес, по которому Telegram обращается к воркерам,
    например WEBHOOK_BASE_URL=https://bot.example.org (обратный прокси передаёт им { $path }).
    Без публичного адреса запускайте бота с long polling: python -m bot run

## Песочница (терминал)

sandbox-banner =
    Песочница ЕФС-бота: вы — пользователь { $user_id }, база данных { $database }.
    Пишите сообщения как в { $messenger } (начните с /start). Кнопки нажимаются по номеру: 1, 2, …
    «:as 3001» — стать другим человеком, «:later 1d» — перевести часы вперёд, «:help» — все команды. Выход — /quit или Ctrl+D.
sandbox-help =
    Команды песочницы:
      1, 2, …       нажать кнопку с этим номером
      !текст        отправить текст как есть (!1 — число 1, а не кнопка)
      :as 3001      стать человеком с Telegram id 3001: его чат и его кнопки
      :who          кто есть в песочнице и у кого непрочитанные
      :history      последние сообщения этого чата ещё раз
      :later 1d     перевести часы вперёд (1d — день, 3h — часы, 30m — минуты, 1d12h) и выполнить то, что подошло: напоминания, дайджесты, рассылки, истёкшие запросы
      :now          который час по часам песочницы
      пустая строка  выполнить то, что подошло, не переводя часы
      :photo, :sticker  прислать фото или стикер
      :quit         выйти (или /quit, Ctrl+D)
    Сообщение боту, которое начинается с «:», отправляйте с «!» впереди.
sandbox-unknown-command = Нет такой команды: { $command }. Список команд — :help. Чтобы отправить это боту как текст, поставьте «!» впереди.
sandbox-no-argument = { $command } пишется без продолжения. Список команд — :help.
sandbox-as-usage = После :as нужен Telegram id человека — целое число, например :as 3001.
sandbox-later-usage = После :later нужен срок: 30m (минуты), 3h (часы), 1d (дни) или вместе — 1d12h.
sandbox-later-too-far = Так далеко часы не переводятся: не больше { $days } дней за раз.
sandbox-history = Последние сообщения этого чата ({ $count }):
sandbox-history-empty = В этом чате пока нет сообщений бота.
sandbox-later = ⏩ Часы песочницы: { $now }
sandbox-time = 🕓 Часы песочницы: { $now }
sandbox-switched = — Теперь вы — пользователь { $user_id } —
sandbox-switched-new = Этот человек ещё не писал боту: начните с /start.
sandbox-switched-nothing-new = Новых сообщений нет.
sandbox-people = Люди в песочнице:
sandbox-people-you = { $user_id } — это вы
sandbox-people-other = { $user_id } — непрочитанных: { $unseen }
sandbox-link = Кнопка-ссылка: { $url }
sandbox-edited = (изменено)
sandbox-start-link = ↪ В песочнице эта ссылка — команда { $command }: станьте тем, кому она (:as 2001), и отправьте её.

## Области компетенций (коды из domain/framework.py)

area-subject = Предметные
area-methodical = Методические
area-psych_ped = Психолого-педагогические
area-communicative = Коммуникативные
area-it_digital = IT- и цифровые
area-managerial = Управленческие

## Мероприятия: ответ на приглашение

event-btn-going = ✅ Пойду
event-btn-not-going = Не смогу

## «Входящие»
menu-inbox = 📥 Входящие
inbox-empty = Пока ничего не ждёт вашего ответа.
inbox-title = Входящие: { $count }
inbox-no-name = (без имени)
inbox-no-comment = без комментария
inbox-mentor-request = { $number }. Запрос наставничества от { $name }: { $form }
inbox-route-to-approve = { $number }. ИОМ на согласование: { $name }
inbox-transfer = { $number }. Подтвердить перенос в практику: { $name }, пунктов: { $count }
inbox-route-returned = { $number }. Ваш ИОМ возвращён на доработку: { $comment }
inbox-more = …и ещё { $count }. Ответьте на эти — и откройте «Входящие» снова.
inbox-btn-accept = { $number }. Принять
inbox-btn-decline = { $number }. Отклонить
inbox-btn-open = { $number }. Открыть
menu-inbox-count = 📥 Входящие ({ $count })
inbox-btn-open-inbox = 📥 Входящие
inbox-btn-refresh = 🔄 Обновить
inbox-btn-complete = { $number }. Пройдена
inbox-btn-seen = { $number }. Понятно
inbox-btn-assign = { $number }. Назначить методиста
inbox-application = { $number }. Заявка на стажировку: { $name } — { $organisation }, с { $start }
inbox-application-orphan = { $number }. Заявка на стажировку (методист не назначен): { $name } — { $organisation }, с { $start }
inbox-application-ended = { $number }. Стажировка окончилась { $end }: { $name } — { $organisation }. Пройдена?
inbox-application-answer = { $number }. Ответ на вашу заявку на стажировку: { $organisation } — { $status }
inbox-route-no-methodist = { $number }. ИОМ ждёт согласования, а методист не назначен: { $name }
inbox-no-methodist = { $number }. Педагог без методиста: { $name }
inbox-application-accepted = Заявка принята, ответ отправлен: { $name }.
inbox-application-declined = Заявка отклонена, ответ отправлен: { $name }.
inbox-application-completed = Стажировка отмечена как пройденная, уведомление отправлено: { $name }.
application-status-applied = ждёт ответа
application-status-accepted = принята
application-status-declined = отклонена
application-status-completed = пройдена
application-status-cancelled = отозвана
btn-link-account = 🔗 Связать с другим мессенджером
messenger-telegram = Telegram
messenger-max = MAX
link-code =
    Код для связи аккаунтов: <code>{ $code }</code>
    Откройте этого бота в { $messenger } и отправьте: <code>/link { $code }</code>
    Код действует { $minutes } минут и только один раз. После этого в обоих мессенджерах будет один профиль; напоминания и рассылки приходят в тот мессенджер, из которого вы последним писали боту, и только туда.
link-usage = Чтобы связать аккаунты, отправьте /link и код из раздела «👤 Профиль» в другом мессенджере, например: <code>/link ABCD2345</code>
link-code-invalid = Код не подошёл: он неверный, уже использован или истёк. Получите новый в «👤 Профиль» → «🔗 Связать с другим мессенджером» и отправьте /link с ним.
link-account-known = Этот аккаунт уже связан с профилем. Связать можно только аккаунт, с которым вы ещё не начинали работу.
link-same-messenger = Этот код выдан в этом же мессенджере. Отправьте его боту в другом мессенджере.
link-done = Аккаунты связаны. Здравствуйте, { $name }! Здесь ваш профиль и всё, что вы начали в другом мессенджере.
profile-linked = 🔗 Связан аккаунт: { $messengers }
btn-unlink = ✂️ Отвязать { $messenger }
unlink-confirm =
    Отвязать аккаунт { $other }?
    Профиль и всё, что в нём (самодиагностика, ИОМ, заявки, наставничество), останутся здесь, в { $here }. Аккаунт { $other } не сохранит ничего: бот встретит его как нового человека — с согласием и анкетой заново. Напоминания и рассылки будут приходить только сюда.
btn-unlink-yes = Да, отвязать { $other }
unlink-done = Аккаунт { $other } отвязан. Ваш профиль здесь, в { $here }; напоминания и рассылки приходят сюда.
unlink-cancelled = Аккаунты остались связаны.
