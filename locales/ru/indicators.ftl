## Показатели эффективности РС НМС и журнал действий (администратор)

ind-summary-title =
    📊 <b>Показатели: { $unit }</b>
    Период: { $period } ({ $start } — { $end }), данные на { $date }
    Педагогов и управленцев в боте (профиль заполнен): { $people }
ind-period-calendar = { $label } год
ind-period-school = { $label } учебный год
ind-ops-title = <b>Оперативные показатели</b> (показатели бота, не из документов; сейчас)
ind-summary-recs = { $count ->
    [one] ⚠️ { $count } адресная рекомендация — в выгрузке XLSX.
    [few] ⚠️ { $count } адресные рекомендации — в выгрузке XLSX.
   *[many] ⚠️ { $count } адресных рекомендаций — в выгрузке XLSX.
}
ind-line =
    { $mark } <b>{ $id }</b> { $name }{ $cumulative }
        <b>{ $value }</b>: { $num } из { $den } { $basis } · { $target } · { $change }
ind-line-c5 =
    { $mark } <b>{ $id }</b> { $name }{ $cumulative }
        в среднем <b>{ $avg }</b>, максимум { $max } (педагогов { $num }, региональных методистов { $den }) · { $target }
ind-line-nodata = { $mark } <b>{ $id }</b> { $name }{ $cumulative }: нет данных ({ $basis })
ind-line-parts = { $mark } <b>{ $id }</b> { $name }{ $cumulative } · { $target } — по каждой организации:
ind-part = { "  " }• { $name }: <b>{ $value }</b> ({ $num } из { $den })
ind-parts-more = { "  " }• …и ещё { $count } — в выгрузке XLSX
ind-parts-none = { "  " }• в каталоге региона нет программ
ind-basis-official = из официального числа
ind-basis-bot = из пользователей бота
ind-cumulative = { " " }(нарастающим итогом)
ind-change = к { $previous }: { $delta } п. п. (было { $before })
ind-change-none = к { $previous }: нет данных для сравнения
ind-names-in-xlsx = Формулировки показателей (дословно по документам) — в выгрузке XLSX.
ind-none-at-level = Для этого уровня в перечне региона нет показателей.
ind-target-min = целевое значение — не менее { $target }{ $unit }
ind-target-max = целевое значение — не более { $target }{ $unit }
ind-target-none = без целевого значения

ind-fact-teachers = Педагогические работники (без управленческих кадров)
ind-fact-managers = Управленческие кадры
ind-fact-teachers-and-managers = Педагогические работники и управленческие кадры
ind-fact-young-teachers = Педагоги до 35 лет в первые 3 года работы (пороги региона)
ind-fact-young-supported = Из них участвуют хотя бы в одной форме поддержки и сопровождения (перечень форм — настройка региона)
ind-fact-cnppm-diagnosed = Прошли диагностику в ЦНППМ (самодиагностика не учитывается)
ind-fact-route-on-cnppm = Есть согласованный ИОМ на основе диагностики ЦНППМ
ind-fact-fr-dpp-on-deficit = Педагоги, завершившие в согласованном ИОМ курс программы из ФР ДПП по дефициту, выявленному диагностикой
ind-fact-qualification-done = Завершили курс повышения квалификации или профессиональной переподготовки в согласованном ИОМ
ind-fact-professional-growth = Педагоги в системе профессионального роста: диагностика ЦНППМ, согласованный ИОМ, завершённый курс или форма поддержки (определение бота: документ его не даёт)
ind-fact-contest-participants = Приняли участие в конкурсах профессионального мастерства (любой уровень)
ind-fact-tutors-experts-jurors = Педагоги-тьюторы, эксперты, члены жюри (любой уровень)
ind-fact-schools = Образовательные организации
ind-fact-management-teams = Управленческие команды (руководитель и заместители одной ОО)
ind-fact-teams-in-pk = Управленческие команды, участник которых прошёл курс повышения квалификации в согласованном ИОМ
ind-fact-teams-quality-pk = Управленческие команды, участник которых прошёл курс по управлению качеством образования (области программ — настройка региона)
ind-fact-schools-in-contests = ОО, принявшие участие в профессиональных конкурсах
ind-fact-schools-presented-experience = ОО, представившие актуальный опыт деятельности
ind-fact-teachers-in-caseloads = Педагоги, закреплённые за региональными методистами
ind-fact-regional-methodists = Региональные методисты (должность в профиле сотрудника)
ind-fact-programmes = Программы организации в каталоге региона
ind-fact-programmes-in-fr-dpp = Из них размещены в ФР ДПП

ind-fig-self-diag = Прошли самодиагностику (предварительный запрос): { $num } из { $den } ({ $value })
ind-fig-days-to-route = Медиана дней от диагностики до ИОМ: { $value }
ind-fig-route-done = ИОМ выполнены: { $num } из { $den } ({ $value })
ind-fig-internships-applied = Заявки на стажировки: { $num }
ind-fig-internships-done = Стажировки пройдены: { $num }
ind-fig-mentor-pairs = Активные пары наставничества: { $num }
ind-fig-events = Участие в мероприятиях: пришли { $num } из { $den } записавшихся ({ $value })
ind-fig-self-diag-short = Самодиагностика
ind-fig-days-to-route-short = Медиана дней диагностика → ИОМ
ind-fig-route-done-short = ИОМ выполнены
ind-fig-internships-applied-short = Заявки на стажировки
ind-fig-internships-done-short = Стажировки пройдены
ind-fig-mentor-pairs-short = Активные пары наставничества
ind-fig-events-short = Участие в мероприятиях

ind-btn-prev = ‹ { $label }
ind-btn-next = { $label } ›
ind-btn-municipalities = 🏘 По муниципалитетам
ind-btn-schools = 🏫 По школам
ind-btn-xlsx = 📥 Выгрузить XLSX
ind-btn-log = 📜 Журнал действий
ind-btn-summary = ‹ К показателям
ind-btn-newer = ‹ Новее
ind-btn-older = Старее ›
ind-btn-newer-page = ‹ Назад
ind-btn-older-page = Дальше ›

ind-units-empty = { $period }: пока некого показать — нет педагогов с заполненным профилем и официальных данных.
ind-units-all-meet = { $period }: все ({ $count }) достигают целевых значений. Выберите, чтобы открыть.
ind-units-title = { $period }: { $count ->
    [one] ниже целевого значения { $count } из { $total }
   *[other] ниже целевых значений { $count } из { $total }
}. Выберите, чтобы открыть.
ind-units-item = { $id } { $value } (цель { $target }%)
ind-units-line = ⚠️ <b>{ $name }</b> ({ $people } чел.): { $items }
ind-units-more = …и ещё { $count } — полный список в выгрузке XLSX.

ind-unit-other = Не из справочника
ind-level-region = Регион
ind-level-municipality = Муниципалитет
ind-level-school = Школа

ind-xlsx-caption = Показатели: { $unit }, { $period } (данные на { $date })
ind-xlsx-sheet-region = Регион
ind-xlsx-sheet-municipality = Муниципалитеты
ind-xlsx-sheet-school = Школы
ind-xlsx-sheet-organisations = По организациям
ind-xlsx-sheet-definitions = Определения
ind-xlsx-sheet-recommendations = Адресные рекомендации
ind-xlsx-period = Период
ind-xlsx-people = Педагогов и управленцев в боте
ind-xlsx-col-value = { $id }, %
ind-xlsx-col-avg = { $id }, в среднем
ind-xlsx-col-fraction = { $id }: числитель/знаменатель
ind-xlsx-col-basis = { $id }: знаменатель
ind-xlsx-col-previous = { $id }: { $previous }, %
ind-xlsx-col-change = { $id }: изменение, п. п.
ind-xlsx-col-target = { $id }: целевое значение
ind-xlsx-col-max = { $id }: максимум
ind-xlsx-org-id = Показатель
ind-xlsx-org-name = Организация
ind-xlsx-org-num = В ФР ДПП
ind-xlsx-org-den = Всего программ
ind-xlsx-org-value = Доля, %
ind-xlsx-def-id = Показатель
ind-xlsx-def-name = Формулировка (дословно)
ind-xlsx-def-num = Числитель
ind-xlsx-def-den = Знаменатель
ind-xlsx-def-target = Целевые значения по годам
ind-xlsx-def-cumulative = Нарастающим итогом
ind-xlsx-def-levels = Уровни
ind-xlsx-def-source = Источник
ind-xlsx-yes = да
ind-xlsx-no = нет
ind-xlsx-source = { $ref } (файл:строки; 000 — Концепция ЕФС; 001 — Методические рекомендации для субъектов РФ; 002 — Концепция МСНМС Петровского района; 003 — приказ Министерства образования Кузбасса)
ind-xlsx-op = Оперативный
ind-xlsx-op-source = Показатель бота, не из нормативных документов
ind-xlsx-rec-level = Уровень
ind-xlsx-rec-unit = Где
ind-xlsx-rec-municipality = Муниципалитет
ind-xlsx-rec-indicator = Показатель
ind-xlsx-rec-value = Значение
ind-xlsx-rec-target = Целевое значение
ind-xlsx-rec-action = Что сделать

ind-rec-share = { $needed ->
    [one] Чтобы достичь целевого значения, нужен ещё { $needed } человек или организация
   *[other] Чтобы достичь целевого значения, нужно ещё { $needed } человек или организаций
} (сейчас { $num } из { $den }, целевое значение { $target }%).
ind-rec-caseload = { $over ->
    [one] У { $over } регионального методиста
   *[other] У { $over } региональных методистов
} больше { $target } педагогов (максимум { $maximum }, сверх целевого значения { $excess }): перераспределить закрепление; не хватает методистов: { $more }.
ind-rec-programmes = У части организаций доля программ в ФР ДПП ниже целевого значения { $target }%: подать программы на экспертизу в ФР ДПП.

ind-log-title = <b>Журнал действий</b> · страница { $page }
ind-log-empty = Журнал действий пуст.
ind-log-line = { $when } · { $who } · { $what }
ind-log-system = система
ind-action-invite-create = создано приглашение
ind-action-invite-revoke = отозвано приглашение
ind-action-role-grant = назначена роль
ind-action-role-remove = снята роль
ind-action-route-approve = ИОМ согласован
ind-action-route-return = ИОМ возвращён на доработку
ind-action-item-transfer = подтверждён перенос в практику
ind-action-diagnosis-official = внесена диагностика ЦНППМ
ind-action-caseload-assign = педагог закреплён за методистом
ind-action-catalogue-import = импорт каталога
ind-action-mentor-nominate = выдвинут наставник
ind-action-pair-assign = назначена пара наставничества
ind-action-pair-close = пара наставничества закрыта
ind-action-broadcast-send = запущена рассылка
ind-action-broadcast-cancel = рассылка отменена
ind-action-event-create = создано мероприятие
