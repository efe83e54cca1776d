## Показатели эффективности РС НМС и журнал действий (администратор)

ind-summary-title =
    📊 <b>Показатели: { $region }</b> на { $date }
    Педагогов и управленцев в боте (профиль заполнен): { $people }
ind-ops-title = <b>Оперативные показатели</b> (не официальные)
ind-summary-recs = { $count ->
    [one] ⚠️ { $count } адресная рекомендация — в выгрузке XLSX.
    [few] ⚠️ { $count } адресные рекомендации — в выгрузке XLSX.
   *[many] ⚠️ { $count } адресных рекомендаций — в выгрузке XLSX.
}
ind-line = { $mark } <b>{ $id }</b> { $name }: <b>{ $value }</b> ({ $num } из { $den }) · { $target }
ind-line-c5 = { $mark } <b>{ $id }</b> { $name }: в среднем <b>{ $avg }</b>, максимум { $max } (педагогов { $num }, методистов { $den }) · { $target }
ind-line-nodata = { $mark } <b>{ $id }</b> { $name }: нет данных
ind-target-min = цель ≥ { $target }{ $unit }
ind-target-max = цель ≤ { $target }{ $unit }
ind-target-none = без целевого значения

ind-r1-name = Прошли диагностику профессиональных дефицитов в ЦНППМ
ind-r1-num = Педагоги и управленцы, у которых есть хотя бы один результат диагностики ЦНППМ (самодиагностика не учитывается)
ind-r1-den = Педагогические работники и управленческие кадры региона с заполненным профилем
ind-r2-name = Разработаны ИОМ на основе результатов диагностики
ind-r2-num = Педагоги и управленцы, у которых есть ИОМ, построенный по результатам диагностики
ind-r2-den = Педагогические работники и управленческие кадры региона с заполненным профилем
ind-c3-name = Освоили программы ДПО из ФР ДПП, подобранные с учётом диагностики
ind-c3-num = Педагоги, выполнившие в ИОМ курс программы из ФР ДПП, направленный на дефицит, выявленный той диагностикой, на которой построен ИОМ
ind-c3-den = Педагогические работники (без управленческих кадров)
ind-c4-name = Управленческие команды, принявшие участие в программах повышения квалификации
ind-c4-num = Школы, руководитель или заместитель которых выполнил курс повышения квалификации в ИОМ
ind-c4-den = Школы, в которых есть хотя бы один руководитель или заместитель
ind-c5-name = Педагогов на 1 регионального методиста
ind-c5-num = Педагоги региона, закреплённые за методистами
ind-c5-den = Методисты, за которыми закреплены педагоги региона (цель выполнена, если у каждого не больше целевого числа)
ind-c6-name = Молодые педагоги, участвующие в формах поддержки
ind-c6-num = Молодые педагоги в активной паре наставничества или с согласованным ИОМ, в котором есть наставничество
ind-c6-den = Педагоги до 35 лет в первые 3 года работы (пороги региона)
ind-r6-name = Программы организации, размещённые в ФР ДПП
ind-r6-num = Программы региона, размещённые в ФР ДПП
ind-r6-den = Все программы региона в каталоге

ind-fig-self-diag = Прошли самодиагностику: { $num } из { $den } ({ $value })
ind-fig-route-cnppm = ИОМ на основе диагностики ЦНППМ: { $num } из { $den } ({ $value })
ind-fig-days-to-route = Медиана дней от диагностики до ИОМ: { $value }
ind-fig-route-done = ИОМ выполнены: { $num } из { $den } ({ $value })
ind-fig-internships-applied = Заявки на стажировки: { $num }
ind-fig-internships-done = Стажировки пройдены: { $num }
ind-fig-mentor-pairs = Активные пары наставничества: { $num }
ind-fig-events = Участие в мероприятиях: пришли { $num } из { $den } записавшихся ({ $value })
ind-fig-self-diag-short = Самодиагностика
ind-fig-route-cnppm-short = ИОМ по диагностике ЦНППМ
ind-fig-days-to-route-short = Медиана дней диагностика → ИОМ
ind-fig-route-done-short = ИОМ выполнены
ind-fig-internships-applied-short = Заявки на стажировки
ind-fig-internships-done-short = Стажировки пройдены
ind-fig-mentor-pairs-short = Активные пары наставничества
ind-fig-events-short = Участие в мероприятиях

ind-btn-municipalities = 🏘 По муниципалитетам
ind-btn-xlsx = 📥 Выгрузить XLSX
ind-btn-log = 📜 Журнал действий
ind-btn-summary = ‹ К показателям
ind-btn-newer = ‹ Новее
ind-btn-older = Старее ›

ind-mun-empty = В регионе пока нет педагогов с заполненным профилем.
ind-mun-all-meet = Все муниципалитеты ({ $count }) достигают целевых значений.
ind-mun-title = { $count ->
    [one] <b>Ниже цели</b>: { $count } муниципалитет из { $total }
    [few] <b>Ниже цели</b>: { $count } муниципалитета из { $total }
   *[many] <b>Ниже цели</b>: { $count } муниципалитетов из { $total }
}
ind-mun-item = { $id } { $value } (цель { $target }%)
ind-mun-line = ⚠️ <b>{ $name }</b> ({ $people } чел.): { $items }
ind-mun-more = …и ещё { $count } — полный список в выгрузке XLSX.

ind-unit-other = Не из справочника
ind-level-region = Регион
ind-level-municipality = Муниципалитет
ind-level-school = Школа

ind-xlsx-caption = Показатели: { $region } на { $date }
ind-xlsx-sheet-region = Регион
ind-xlsx-sheet-municipality = Муниципалитеты
ind-xlsx-sheet-school = Школы
ind-xlsx-sheet-definitions = Определения
ind-xlsx-sheet-recommendations = Адресные рекомендации
ind-xlsx-people = Педагогов и управленцев
ind-xlsx-col-value = { $id }, %
ind-xlsx-col-avg = { $id }, в среднем
ind-xlsx-col-fraction = { $id }: числитель/знаменатель
ind-xlsx-col-target = { $id }: цель
ind-xlsx-col-max = { $id }: максимум
ind-xlsx-def-id = Показатель
ind-xlsx-def-name = Формулировка
ind-xlsx-def-num = Числитель
ind-xlsx-def-den = Знаменатель
ind-xlsx-def-target = Целевое значение
ind-xlsx-def-levels = Уровни
ind-xlsx-def-source = Источник
ind-xlsx-source = { $ref } (000 — Концепция ЕФС; 001 — Методические рекомендации для субъектов РФ)
ind-xlsx-op = Оперативный
ind-xlsx-op-source = Показатель бота, не из нормативных документов
ind-xlsx-rec-level = Уровень
ind-xlsx-rec-unit = Где
ind-xlsx-rec-municipality = Муниципалитет
ind-xlsx-rec-indicator = Показатель
ind-xlsx-rec-value = Значение
ind-xlsx-rec-target = Цель
ind-xlsx-rec-action = Что сделать

ind-rec-c3 = { $needed ->
    [one] Подобрать курсы из ФР ДПП по выявленным дефицитам и довести до завершения ещё { $needed } педагогу
   *[other] Подобрать курсы из ФР ДПП по выявленным дефицитам и довести до завершения ещё { $needed } педагогам
} (сейчас { $num } из { $den }, цель { $target }%).
ind-rec-c4 = { $needed ->
    [one] Включить управленческую команду ещё { $needed } школы
   *[other] Включить управленческие команды ещё { $needed } школ
} в программы повышения квалификации (сейчас { $num } из { $den }, цель { $target }%).
ind-rec-c5 = { $over ->
    [one] У { $over } методиста
   *[other] У { $over } методистов
} больше { $target } педагогов (максимум { $maximum }, сверх нормы { $excess }): перераспределить закрепление; не хватает методистов: { $more }.
ind-rec-c6 = { $needed ->
    [one] Закрепить наставника за { $needed } молодым педагогом
   *[other] Закрепить наставников за { $needed } молодыми педагогами
} (без поддержки { $unsupported } из { $den }, цель { $target }%).

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
