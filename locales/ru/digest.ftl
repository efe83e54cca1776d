## Ежедневная сводка методиста (handlers/digest.py)

digest-title = 📋 <b>Сводка на { $date }</b> · педагогов: { $teachers }
digest-empty-caseload = 📋 За вами пока не закреплены педагоги. Сводка появится, когда администратор или правила региона назначат их вам.
digest-quiet = 📋 { $date }: по вашим педагогам ({ $teachers }) за сутки нового нет.
digest-fresh = (новых: { $count })
digest-fresh-mark = 🔸
digest-legend = 🔸 — появилось за сутки

digest-count-new = Новые педагоги: { $count }
digest-count-diag = Прошли самодиагностику: { $count }
digest-count-await = ИОМ на согласовании: { $count }
digest-count-late =
    Просрочены пункты ИОМ: { $count } { $count ->
        [one] педагог
        [few] педагога
       *[many] педагогов
    }, { $items } { $items ->
        [one] пункт
        [few] пункта
       *[many] пунктов
    }
digest-count-proof =
    Результаты ждут подтверждения: { $count } { $count ->
        [one] педагог
        [few] педагога
       *[many] педагогов
    }, { $items } { $items ->
        [one] пункт
        [few] пункта
       *[many] пунктов
    }
digest-count-young = Молодые педагоги без наставника и поддержки: { $count }
digest-count-idle =
    Не заходили больше { $days } { $days ->
        [one] дня
        [few] дней
       *[many] дней
    }: { $count }

digest-head-new = Новые педагоги
digest-head-diag = Прошли самодиагностику
digest-head-await = ИОМ ждут согласования
digest-head-late = Просроченные пункты ИОМ
digest-head-proof = Подтвердите перенос в практику
digest-head-young = Молодые педагоги без поддержки
digest-head-idle = Давно не заходили

digest-line-new = { $name } — профиль заполнен { $when }
digest-line-diag = { $name } — дефициты: { $areas }
digest-line-diag-none = { $name } — дефицитов не выявлено
digest-line-await = { $name } — на согласовании с { $when }
digest-line-late =
    { $name } — { $items } { $items ->
        [one] пункт
        [few] пункта
       *[many] пунктов
    }
digest-line-proof =
    { $name } — { $items } { $items ->
        [one] пункт
        [few] пункта
       *[many] пунктов
    }, последний { $when }
digest-line-young = { $name }
digest-line-idle = { $name } — последний раз { $when }
digest-line-idle-never = { $name } — не заходил(а) с регистрации
digest-more =
    … и ещё { $count } { $count ->
        [one] педагог
        [few] педагога
       *[many] педагогов
    }

digest-short-new = Новые
digest-short-diag = Самодиагностика
digest-short-await = На согласовании
digest-short-late = Просрочки
digest-short-proof = Подтверждение
digest-short-young = Молодые без поддержки
digest-short-idle = Неактивные

digest-btn-all = { $section }: все { $count } ›
digest-btn-back = ‹ К сводке
digest-btn-open = 📋 Открыть сводку
digest-btn-settings = ⚙️ Настройки сводки
digest-page = стр. { $page } из { $pages }
digest-page-empty = Здесь уже никого нет: список изменился.

digest-chart-title =
    Дефициты по последней самодиагностике ({ $count } { $count ->
        [one] педагог
        [few] педагога
       *[many] педагогов
    })
digest-chart-axis = Педагогов с дефицитом

## Настройки сводки

digest-settings =
    ⚙️ <b>Ежедневная сводка</b>
    Приходит в <b>{ $time }</b> по местному времени ({ $zone }), следующая — { $next }.
    В день без новостей: { $quiet }.

    Выберите время кнопкой или нажмите «Другое время», ниже — что присылать в спокойный день.
digest-quiet-short = одна короткая строка
digest-quiet-none = ничего не присылать
digest-btn-time-other = Другое время…
digest-btn-quiet-short = Короткая строка
digest-btn-quiet-none = Ничего не присылать
digest-ask-time = Напишите время сводки в формате ЧЧ:ММ, например 07:45.
digest-err-time-format = Не удалось разобрать время. Напишите его в формате ЧЧ:ММ, например 07:45.
digest-err-time-range = Такого времени нет: часы — от 00 до 23, минуты — от 00 до 59. Например: 07:45.
digest-time-saved = Сводка будет приходить в { $time }.
digest-quiet-saved = Сохранено.
