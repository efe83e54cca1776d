## Стажировки

site-list =
    <b>Стажировочные площадки</b> · { $filters }
    { $count ->
        [one] Найдена { $count } площадка, сначала — подходящие вам.
        [few] Найдено { $count } площадки, сначала — подходящие вам.
       *[many] Найдено { $count } площадок, сначала — подходящие вам.
    }

    { $lines }

    Страница { $page } из { $pages }. Нажмите номер, чтобы открыть площадку.
site-none = Стажировочных площадок не найдено (фильтр: { $filters }). Снимите фильтр или загляните позже.
site-no-filter = все площадки
site-line =
    { $number }. <b>{ $organisation }</b> ({ $municipality })
    { $topic }
    <i>{ $reasons }</i>
match-deficit = по вашим дефицитам: { $areas }
match-subject = ваши предметы: { $subjects }
match-near = в вашем муниципалитете
match-remote = дистанционно
match-none = общая тематика
site-btn-area = 🎯 Область
site-btn-municipality = 📍 Муниципалитет
site-btn-reset = ✖ Сбросить фильтр
site-btn-mine = 📋 Мои заявки
site-btn-apply = 📝 Подать заявку
site-btn-cancel = ✖ Отозвать заявку
site-btn-back = ‹ К списку
site-choose-area = Выберите область компетенций:
site-choose-municipality = Выберите муниципалитет:
site-card =
    <b>{ $organisation }</b>
    Муниципалитет: { $municipality }
    Тема: { $topic }
    Области: { $areas }
    Предметы: { $subjects }
    Сроки: { $start } – { $end }
    Формат: { $format }
    Свободных мест: { $free } из { $seats }
    Контакт: { $contact }
site-applied-mark = ✓ Ваша заявка подана.
site-full = Мест нет.
site-apply-applied = Заявка подана.
site-apply-duplicate = Вы уже подали заявку на эту площадку.
site-apply-full = К сожалению, свободных мест уже нет.
site-cancelled = Заявка отозвана.
site-mine =
    <b>Мои заявки</b>
    { $lines }
site-mine-line = • { $organisation }: { $start } – { $end }
site-mine-none = У вас пока нет заявок на стажировки.
format-ochno = очно
format-distance = дистанционно
format-mixed = смешанно
