## ИОМ

route-need-diagnosis = ИОМ составляется по результатам диагностики ЦНППМ, а пока их нет — по самодиагностике как предварительному запросу. Пройдите её — это около 10 минут.
route-btn-draft = 🗺 Составить ИОМ
route-offer = ИОМ ещё не составлен. Составить его? Основа: { $basis }.
route-offer-new = Ваш прошлый ИОМ выполнен. Составить новый? Основа: { $basis }.
route-exists = У вас уже есть ИОМ — вот он.
route-drafted =
    { $count ->
        [one] Составлен черновик ИОМ: { $count } пункт.
        [few] Составлен черновик ИОМ: { $count } пункта.
       *[many] Составлен черновик ИОМ: { $count } пунктов.
    } Проверьте его: пункты можно удалить, добавить из каталога, сроки — изменить. Затем отправьте на согласование методисту.
route-drafted-no-deficits = Дефицитов по итогам диагностики нет — черновик ИОМ составлен для развития в самой слабой из областей.
route-view =
    <b>Мой ИОМ</b> · { $status }
    Период: { $start } – { $end } · всего { $hours } ч · выполнено { $done } из { $total }

    { $lines }

    Страница { $page } из { $pages }. Нажмите номер пункта, чтобы открыть его.
route-line = { $number }. { $mark } <b>{ $area }</b>: { $title } — до { $due }, { $hours } ч
route-empty = В маршруте пока нет пунктов. Добавьте их из каталога.
route-comment = Комментарий методиста: { $comment }
route-status-draft = черновик
route-status-submitted = на согласовании
route-status-returned = возвращён на доработку
route-status-active = согласован, выполняется
route-status-completed = выполнен
route-btn-add = ➕ Добавить из каталога
route-btn-submit = 📤 На согласование
route-btn-docx = 📄 Скачать DOCX
route-btn-done = ✅ Отметить выполненным
route-btn-date = 🗓 Изменить срок
route-btn-remove = 🗑 Удалить из маршрута
route-btn-back = ‹ К маршруту
route-item =
    <b>{ $title }</b>
    Дефицит: { $area }
    Форма: { $kind } ({ $form })
    Объём: { $hours } ч · срок: { $due }
    Статус: { $status }
    Почему этот пункт: { $reason }
route-item-planned = запланирован
route-item-done = выполнен
route-form-formal = формальное
route-form-nonformal = неформальное
route-form-informal = информальное
route-kindname-course = Курс ДПП
route-kindname-internship = Стажировка
route-kindname-event = Мероприятие
route-kindname-association = Методическое объединение
route-kindname-open_lesson = Открытые уроки
route-kindname-mentorship = Наставничество
route-kindname-self_education = Самообразование
route-kind-association = Участие в работе { $school } / { $municipal }: тема «{ $area }»
route-kind-open_lesson = Посещение и обсуждение открытых уроков коллег: «{ $area }»
route-kind-self_education = Самообразование: литература и вебинары по теме «{ $area }», короткая рефлексия
route-kind-mentorship = Работа с наставником: «{ $area }»
reason-course-registry = курс из Федерального реестра ДПП по дефициту «{ $area }»
reason-course = курс повышения квалификации по дефициту «{ $area }»
reason-internship-near = стажировочная площадка в вашем муниципалитете по дефициту «{ $area }»
reason-internship = стажировочная площадка региона по дефициту «{ $area }»
reason-event = ближайшее мероприятие по дефициту «{ $area }»
reason-association = горизонтальное обучение с коллегами по дефициту «{ $area }»
reason-open-lesson = практика у коллег: курса по дефициту «{ $area }» в каталоге пока нет
reason-self-education = самостоятельная работа закрепляет дефицит «{ $area }»
reason-young-teacher = вы молодой педагог: наставник поможет в первые годы работы
reason-added = добавлено вами
route-evidence-document = Подтверждение: документ { $evidence }
route-evidence-photo = Подтверждение: фото
route-evidence-link = Подтверждение: { $evidence }
route-evidence-text = Подтверждение: рефлексия
route-removed = Пункт удалён.
route-remove-confirm = Удалить из маршрута пункт «{ $title }»?
route-btn-remove-yes = Да, удалить
route-added = Пункт добавлен.
route-ask-date = Напишите новый срок в формате ДД.ММ.ГГГГ — с { $start } по { $end }:
route-date-outside = Срок должен быть в пределах маршрута: с { $start } по { $end }. Напишите другую дату.
route-date-changed = Срок изменён на { $date }.
route-ask-evidence = Подтвердите выполнение пункта «{ $title }»: пришлите документ (например, удостоверение), фото, ссылку или короткую рефлексию текстом — что получилось и что возьмёте в работу.
route-evidence-invalid = Нужен документ, фото, ссылка (https://…) или рефлексия текстом от { $min } до { $max } символов.
route-item-marked = ✅ Пункт «{ $title }» отмечен выполненным.
route-completed = 🎉 Все пункты ИОМ выполнены! Пройдите самодиагностику снова — покажу, как изменились результаты.
route-add-area = Выберите область, по которой добавить пункт:
route-add-item = Что добавить в маршрут по теме «{ $area }»?
route-submit-empty = В маршруте нет ни одного пункта.
route-submitted-methodist = ИОМ отправлен методисту на согласование. Статус: на согласовании.
route-submitted-admins = Методиста у вас пока нет, поэтому ИОМ передан администраторам региона (ЦНППМ): они назначат вам методиста, и он согласует маршрут. Статус: на согласовании.
route-submitted-nobody = ИОМ готов к согласованию, но методист вам пока не назначен, а администратора региона в боте ещё нет. Маршрут сохранён и попадёт к методисту, как только его назначат.
route-notify-no-methodist = 📥 { $name } отправил(а) ИОМ на согласование, но методист за педагогом не закреплён. Назначьте методиста — маршрут перейдёт к нему. Запрос ждёт во «Входящих».
docx-title = Индивидуальный образовательный маршрут
docx-fio = ФИО
docx-position = Должность
docx-school = Образовательная организация
docx-municipality = Муниципалитет
docx-period = Период
docx-status = Статус
docx-basis = Основа ИОМ
docx-deficits = Выявленные дефициты
docx-col-deficit = Дефицит
docx-col-tasks = Задачи
docx-col-forms = Формы
docx-col-due = Сроки
docx-col-result = Результат
docx-col-done = Отметка о выполнении
docx-forms = { $kind } ({ $form }), { $hours } ч
docx-result-course = удостоверение о повышении квалификации
docx-result-internship = отчёт о стажировке, применение практики
docx-result-event = участие, материалы мероприятия
docx-result-association = выступление или материалы для коллег
docx-result-open_lesson = анализ посещённых уроков
docx-result-mentorship = план и итоги работы с наставником
docx-result-self_education = рефлексия, изменения в практике
docx-total = Всего часов: { $hours }
docx-caption = Ваш ИОМ в формате DOCX.

## На чём основан ИОМ (маршрут, DOCX, карточка педагога у методиста)

basis-line = <b>Основа ИОМ</b>: { $basis }
basis-cnppm = диагностика ЦНППМ от { $date } (инструмент: { $instrument })
basis-self = самодиагностика от { $date } — предварительный запрос (результатов диагностики ЦНППМ не было)
basis-none = не указана
route-btn-my = 🗺 Мой ИОМ
route-newer-basis = 🏛 После составления черновика появились результаты диагностики ЦНППМ: { $basis }. Черновик можно составить заново по ним.
route-btn-redraft = 🏛 Составить заново по диагностике ЦНППМ
route-redrafted = Черновик ИОМ составлен заново — по результатам диагностики ЦНППМ.
