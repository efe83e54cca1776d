## Кабинет методиста: мои педагоги (список, карточка, ИОМ, диагностика ЦНППМ, выгрузка)

ws-list =
    <b>Мои педагоги</b> · { $filter }
    { $count ->
        [one] { $count } педагог
        [few] { $count } педагога
       *[many] { $count } педагогов
    } · страница { $page } из { $pages }
ws-list-empty = Под этот фильтр никто не подходит.
ws-filter-all = Все
ws-filter-no_diagnosis = Без диагностики
ws-filter-no_route = Без ИОМ
ws-filter-overdue = Просрочка
ws-filter-young_unsupported = Молодые без наставника
ws-btn-export = 📊 Выгрузить в Excel

ws-card-self =
    <b>Самодиагностика</b> ({ $date }) — предварительный запрос педагога:
    { $lines }
    Запрос на развитие: { $deficits }
ws-card-self-none = <b>Самодиагностика</b>: ещё не пройдена.
ws-card-official =
    <b>Официальная диагностика { $cnppm }</b> ({ $date }, инструмент: { $instrument }), результат 0–100:
    { $lines }
    Дефициты: { $deficits }
ws-card-official-none = <b>Официальная диагностика { $cnppm }</b>: результатов нет.
ws-card-route =
    <b>ИОМ</b>: { $status }
    Выполнено пунктов: { $done } из { $total } · просрочено: { $overdue }
ws-card-route-none = <b>ИОМ</b>: не составлен.
ws-card-mentor = <b>Наставничество</b>: наставник — { $name }.
ws-card-mentor-none = <b>Наставничество</b>: пары нет.
ws-card-mentor-none-young = <b>Наставничество</b>: ⚠️ молодой педагог без наставника.
ws-btn-chart = 📈 График диагностики
ws-btn-route = 🗺 ИОМ
ws-btn-approve = ✅ Согласовать ИОМ
ws-btn-return = ↩️ Вернуть на доработку
ws-btn-official = 🏛 Официальная диагностика { $cnppm }
ws-btn-to-list = ‹ К списку педагогов
ws-btn-to-card = ‹ К карточке педагога
ws-no-self-diagnosis = Педагог ещё не прошёл самодиагностику.
ws-chart-caption = Самодиагностика: { $name }, { $date }

ws-route =
    <b>ИОМ</b> · { $name }
    Статус: { $status } · { $start } – { $end }
    Выполнено пунктов: { $done } из { $total }

    { $lines }

    Страница { $page } из { $pages }
ws-route-empty = В маршруте пока нет пунктов.
ws-route-line = { $number }. { $mark } { $area }: { $title } — до { $due }
ws-evidence-document = 📎 документ: { $evidence }
ws-evidence-photo = 📷 фото
ws-evidence-link = 🔗 { $evidence }
ws-evidence-text = 💬 { $evidence }
ws-transferred = 🔁 перенос в практику подтверждён { $date }
ws-btn-transfer = 🔁 Подтвердить перенос в практику: { $number }
ws-transfer-confirmed = Перенос в практику подтверждён.
ws-approved = ИОМ согласован, уведомление педагогу отправлено.
ws-ask-comment = Напишите комментарий для педагога: что доработать в ИОМ (не больше { $max } символов).
ws-returned = ИОМ возвращён на доработку, ваш комментарий отправлен педагогу.
ws-btn-open-route = 🗺 Открыть ИОМ

ws-notify-approved = ✅ Методист { $name } согласовал(а) ваш ИОМ. Можно выполнять пункты и отмечать их выполненными.
ws-notify-returned =
    ↩️ Методист { $name } вернул(а) ваш ИОМ на доработку.
    Комментарий: { $comment }
ws-notify-transfer = 🔁 Методист { $name } подтвердил(а) перенос в практику: «{ $title }».
ws-notify-official = 🏛 Методист { $name } внёс(ла) результаты вашей диагностики в ЦНППМ от { $date } (инструмент: { $instrument }). Дефициты, как их зафиксировал ЦНППМ: { $deficits }.

ws-ask-official-date =
    <b>Официальная диагностика ЦНППМ</b> · { $name }
    Напишите дату проведения диагностики в ЦНППМ в формате ДД.ММ.ГГГГ.
ws-ask-official-instrument =
    <b>Официальная диагностика ЦНППМ</b> · { $name }, { $date }
    Напишите инструмент диагностики — как его называет ЦНППМ (например: <i>диагностика предметных и методических компетенций</i>).
ws-err-instrument-empty = Напишите название инструмента.
ws-err-instrument-too-long = Слишком длинное название ({ $length } симв.), допустимо не больше { $max }.
ws-official-heading =
    <b>Официальная диагностика ЦНППМ</b> · { $name }, { $date }, { $instrument }
    Область { $number } из { $total }: <b>{ $area }</b>
ws-official-ask-result = Напишите результат ЦНППМ по этой области — число от 0 до 100 — или нажмите «Не оценивалось».
ws-official-ask-deficit = Результат: { $result }. Выявил ли ЦНППМ дефицит в этой области?
ws-err-official-result = Нужно целое число от { $min } до { $max }, как в результатах ЦНППМ.
ws-btn-deficit-yes = Дефицит: да
ws-btn-deficit-no = Дефицит: нет
ws-official-area-done = ✓ { $area }: { $result }, { $deficit ->
        [1] дефицит
       *[0] без дефицита
    }
ws-official-area-skipped = ✓ { $area }: не оценивалось
ws-btn-not-assessed = Не оценивалось
ws-official-empty = Не оценена ни одна область — записывать нечего. Начнём сначала.
ws-official-saved-alert = Результаты сохранены.
ws-official-saved = ✓ Результаты официальной диагностики ЦНППМ сохранены: { $name }. Уведомление педагогу отправлено.

ws-export-empty = За вами пока не закреплено ни одного педагога.
ws-export-sheet = Педагоги
ws-export-caption =
    Закреплённые педагоги на { $date }: { $count ->
        [one] { $count } человек
        [few] { $count } человека
       *[many] { $count } человек
    }.
ws-col-fio = ФИО
ws-col-position = Должность
ws-col-school = Организация
ws-col-municipality = Муниципалитет
ws-col-subjects = Предметы
ws-col-young = Молодой педагог
ws-col-self-date = Самодиагностика (дата)
ws-col-self-deficits = Дефициты (самодиагностика)
ws-col-official-date = Диагностика ЦНППМ (дата)
ws-col-route-status = Статус ИОМ
ws-col-items-done = Выполнено пунктов
ws-col-items-total = Всего пунктов
ws-col-overdue = Просрочено
ws-col-mentor = Наставник

## Закрепление педагогов (/caseload, администратор)

ws-staff =
    <b>Закрепление педагогов</b>
    Методисты региона и число закреплённых за ними педагогов (целевое значение C-5 — не более { $limit } на 1 регионального методиста):
    { $lines }

    Страница { $page } из { $pages }. Выберите методиста, чтобы закрепить за ним педагога.
ws-staff-none = <b>Закрепление педагогов</b>: в вашем регионе пока нет методистов. Пригласите их через /admin.
ws-staff-line = { $name } ({ $role }) — { $count }
ws-staff-line-over = ⚠️ { $name } ({ $role }) — { $count }, больше целевого значения { $limit }
ws-btn-assign-to = Закрепить за: { $name }
ws-btn-staff = ‹ К списку методистов
ws-ask-teacher-name =
    Закрепляем педагогов за методистом { $name }. Напишите часть ФИО педагога:
    или закрепите сразу всех педагогов муниципалитета или школы — кнопки ниже.
ws-search-nothing = По запросу «{ $query }» педагогов в вашем регионе не нашлось. Напишите иначе.
ws-search-found =
    Кого закрепить за методистом { $name }?
    { $lines }
ws-search-line = • { $name } — сейчас: { $current }
ws-assigned-alert = Педагог закреплён.
ws-assigned = ✓ { $teacher } закреплён(а) за методистом { $methodist }. Правила закрепления региона это назначение больше не меняют.
ws-btn-open-card = 👤 Открыть карточку
ws-notify-assigned = Администратор закрепил за вами педагога: { $name }.
ws-notify-teacher-assigned = Вам назначен методист: { $name }. Ваш ИОМ и заявки теперь у него.
ws-assign-for =
    <b>Методист для педагога: { $name }</b>
    Методисты региона и число закреплённых за ними педагогов (целевое значение — не больше { $limit }):
    { $lines }

    Страница { $page } из { $pages }.

## Закрепление сразу муниципалитета или школы

ws-btn-bulk-municipality = По муниципалитету
ws-btn-bulk-school = По школе
ws-btn-bulk-back-places = ‹ К муниципалитетам
ws-btn-bulk-confirm = ✓ Закрепить: { $count }
ws-btn-open-list = 🗂 Мои педагоги
ws-bulk-pick-municipality = Всех педагогов какого муниципалитета закрепить за методистом { $name }?
ws-bulk-pick-municipality-school = В каком муниципалитете школа, педагогов которой закрепить за методистом { $name }?
ws-bulk-pick-school = Педагогов какой школы ({ $municipality }) закрепить за методистом { $name }?
ws-bulk-no-schools = В справочнике нет школ муниципалитета { $municipality }. Выберите другой.
ws-bulk-none = В справочнике вашего региона нет муниципалитетов.
ws-bulk-unit-municipality = { $municipality }
ws-bulk-unit-school = { $school } ({ $municipality })
ws-bulk-preview =
    <b>Закрепить за методистом { $name } всех педагогов: { $unit }?</b>
    Педагогов там: { $teachers }.
    Перейдут к методисту: { $moving }, из них сейчас у другого методиста: { $from_others }.
    Уже закреплены за ним: { $already }.
    Закреплённых за методистом педагогов станет { $after } (сейчас { $now }; целевое значение региона — не более { $limit }).
ws-bulk-over-limit = ⚠️ Это больше целевого значения региона: { $after } при целевом значении не более { $limit }.
ws-bulk-nothing = Закреплять некого: все педагоги уже у этого методиста или их там нет.
ws-bulk-assigned-alert = Педагоги закреплены.
ws-bulk-assigned =
    ✓ За методистом { $name } закреплены педагоги: { $unit } — { $moved }, из них от другого методиста: { $from_others }.
    Теперь у методиста педагогов: { $after }. Правила закрепления региона эти назначения больше не меняют.
ws-notify-assigned-bulk = Администратор закрепил за вами педагогов: { $count } ({ $unit }).
