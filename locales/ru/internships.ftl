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
site-status-applied = ✓ Заявка подана и ждёт ответа.
site-status-accepted = ✓ Заявка принята.
site-status-declined = Заявка отклонена.
site-status-completed = 🎓 Стажировка пройдена.
site-status-cancelled = Заявка отозвана.
site-apply-methodist = Заявка подана и отправлена вашему методисту. Ответ придёт сюда и во «Входящие».
site-apply-admins = Заявка подана. Методиста у вас пока нет, поэтому она передана администраторам региона (ЦНППМ). Ответ придёт сюда.
site-apply-nobody = Заявка подана и сохранена. Ответить на неё пока некому: в боте нет ни вашего методиста, ни администратора региона.
site-notify-applied = 📥 { $name } подал(а) заявку на стажировку: { $organisation }, с { $start }. Ответьте во «Входящих».
site-notify-applied-no-methodist = 📥 { $name } подал(а) заявку на стажировку: { $organisation }, с { $start }. Методист за педагогом не закреплён, поэтому заявка у администраторов региона: ответьте во «Входящих» или назначьте методиста.
site-notify-accepted = ✅ Ваша заявка на стажировку принята: { $organisation }, с { $start }. Ответ дал(а): { $name }.
site-notify-declined = Ваша заявка на стажировку отклонена: { $organisation }, с { $start }. Ответ дал(а): { $name }. Можно выбрать другую площадку в «Стажировках».
site-notify-completed = 🎓 Стажировка отмечена как пройденная: { $organisation }. Отметил(а): { $name }.
site-full = Мест нет.
site-apply-duplicate = Вы уже подали заявку на эту площадку.
site-apply-full = К сожалению, свободных мест уже нет.
site-cancelled = Заявка отозвана.
site-mine =
    <b>Мои заявки</b>
    { $lines }
site-mine-line = • { $organisation }: { $start } – { $end } — { $status }
site-mine-none = У вас пока нет заявок на стажировки.
format-ochno = очно
format-distance = дистанционно
format-mixed = смешанно
