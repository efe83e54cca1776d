## Импорт каталогов (storage/importers.py, handlers/import_report.py)

import-kind-programs = программы ДПП
import-kind-sites = стажировочные площадки
import-kind-events = мероприятия
import-kind-schools = образовательные организации

import-report-ok =
    <b>✓ Каталог «{ $kind }» загружен.</b>
    { $created ->
        [one] Добавлена { $created } запись
        [few] Добавлено { $created } записи
       *[many] Добавлено { $created } записей
    }, { $updated ->
        [one] обновлена { $updated } запись.
        [few] обновлено { $updated } записи.
       *[many] обновлено { $updated } записей.
    }
import-report-failed =
    <b>✗ Каталог «{ $kind }» не загружен: { $count ->
        [one] найдена { $count } ошибка.
        [few] найдены { $count } ошибки.
       *[many] найдено { $count } ошибок.
    }</b>
    Ничего не изменено: исправьте файл и загрузите его снова.
import-report-row = Строка { $row }, столбец «{ $column }»: { $message }
import-report-row-no-column = Строка { $row }: { $message }
import-report-more =
    { $count ->
        [one] …и ещё { $count } ошибка.
        [few] …и ещё { $count } ошибки.
       *[many] …и ещё { $count } ошибок.
    }
cli-import-cannot-read = Не удалось прочитать файл { $path }: { $reason }

## Ошибки файла целиком

import-err-unknown-kind = Неизвестный вид каталога «{ $kind }». Допустимо: programs, sites, events, schools, mentors, caseloads, cnppm-results, statistics.
import-err-unknown-region = Регион «{ $region }» не загружен.
import-err-unknown-format = Файл «{ $name }» не распознан: нужна таблица CSV (.csv) или Excel (.xlsx). Файл .xls откройте в Excel и сохраните как .xlsx.
import-err-unreadable = Не удалось прочитать файл: он повреждён или это не таблица CSV/XLSX.
import-err-empty = В файле нет ни одной строки с данными под строкой заголовков.
import-err-no-header = Первая строка файла должна содержать названия столбцов.
import-err-too-many-rows = Слишком много строк: за один раз можно загрузить не больше { $max }. Разделите файл на части.
import-err-missing-columns = Нет обязательных столбцов: { $columns }.
import-err-duplicate-column = Столбец «{ $column }» указан в заголовке дважды.

## Ошибки в строках

import-err-required = Обязательное поле не заполнено.
import-err-too-long = Слишком длинный текст ({ $length } симв.), допустимо не больше { $max }.
import-err-not-integer = «{ $value }» — не целое число.
import-err-out-of-range = Число { $value } вне допустимого диапазона: от { $min } до { $max }.
import-err-bad-format = Неизвестный формат «{ $value }». Допустимо: очно, дистанционно, смешанно.
import-err-bad-event-kind = Неизвестный вид мероприятия «{ $value }». Допустимо: семинар, вебинар, мастер-класс, конференция, педагогические чтения, конкурс, круглый стол, открытый урок.
import-err-bad-boolean = «{ $value }» — нужно «да» или «нет».
import-err-unknown-area = Неизвестная область компетенций «{ $value }». Укажите название (Предметные, Методические, Психолого-педагогические, Коммуникативные, IT- и цифровые, Управленческие) или код: { $allowed }.
import-err-unknown-subject = Неизвестный предмет «{ $value }». Укажите название, как в анкете педагога (например: Математика, Начальные классы), или код: { $allowed }.
import-err-bad-url = Ссылка «{ $value }» должна начинаться с http:// или https:// и не содержать пробелов.
import-err-bad-date = «{ $value }» — не дата. Нужен формат ДД.ММ.ГГГГ или ГГГГ-ММ-ДД.
import-err-bad-datetime = «{ $value }» — не дата и время. Нужен формат ДД.ММ.ГГГГ ЧЧ:ММ (местное время региона).
import-err-date-range = Год в «{ $value }» вне допустимого диапазона { $min }–{ $max }.
import-err-date-order = Дата окончания { $ends } раньше даты начала { $starts }.
import-err-unknown-municipality = Муниципалитет «{ $value }» не найден в регионе. Напишите название так, как в справочнике региона.
import-err-duplicate-id = Идентификатор «{ $value }» уже встречался в строке { $first_row }.
import-err-foreign-id = Идентификатор «{ $value }» уже занят записью другого региона ({ $region }).
import-err-bad-years = «{ $value }» — нужны годы через запятую, например: 2024, 2025.

import-choose-kind = Какой каталог загрузить? Столбцы каждого вида описаны в storage/catalog/README.md.
import-send-file = Пришлите файл CSV или XLSX: { $kind }. Если хоть одна строка с ошибкой, ничего не будет загружено — придёт отчёт по строкам.
import-file-expected = Пришлите таблицу файлом (CSV или XLSX) или откройте меню — /menu.
import-file-too-big = Файл больше { $max } МБ. Разбейте его на части.
import-kind-mentors = реестр наставников
import-err-one-account = Укажите одно из двух: Telegram ID или MAX ID человека.
import-err-unknown-user = Пользователь с { $value } не найден в этом регионе: сначала он должен начать работу с ботом (/start) и заполнить профиль.

## Закрепление педагогов (import caseloads)

import-kind-caseloads = закрепление педагогов за методистами
import-report-ok-caseloads =
    <b>✓ Закрепление педагогов загружено.</b>
    Закреплены впервые: { $created }, перешли от другого методиста: { $updated }. Правила закрепления региона эти назначения больше не меняют.
import-err-unknown-methodist = Методист «{ $value }» не найден: нужен Telegram ID, MAX ID («MAX 123456») или ФИО (точно как в профиле) методиста или администратора этого региона.
import-err-unknown-teacher = Педагог «{ $value }» не найден: нужен Telegram ID, MAX ID («MAX 123456») или ФИО (точно как в профиле) педагога этого региона, заполнившего профиль.
import-err-ambiguous-person = ФИО «{ $value }» носят { $count } человека в регионе: укажите Telegram ID.
import-err-unknown-school = Школа «{ $value }» не найдена в справочнике региона (или в указанном муниципалитете).
import-err-ambiguous-school = Школа «{ $value }» есть в нескольких муниципалитетах: заполните и столбец municipality (муниципалитет).
import-err-duplicate-target = «{ $value }» уже закреплён(а) в строке { $first_row }.
import-err-caseload-one-target = Для педагога оставьте municipality и school пустыми: в строке закрепляют либо педагога, либо школу, либо муниципалитет.
import-err-caseload-no-target = Кого закрепить? Заполните teacher (педагог), school (школа) или municipality (муниципалитет).

## Результаты диагностики ЦНППМ (import cnppm-results, storage/cnppm_import.py)

import-kind-cnppm-results = результаты диагностики ЦНППМ
import-report-ok-cnppm-results =
    <b>✓ Результаты диагностики ЦНППМ загружены.</b>
    Новых диагностик: { $created }, дополнено или подтверждено: { $updated }. Дефициты сохранены так, как их зафиксировал ЦНППМ.
import-cnppm-pending =
    { $count ->
        [one] Ещё { $count } человек пока не пользуется ботом: результаты сохранены и появятся у него при регистрации.
        [few] Ещё { $count } человека пока не пользуются ботом: результаты сохранены и появятся у них при регистрации.
       *[many] Ещё { $count } человек пока не пользуются ботом: результаты сохранены и появятся у них при регистрации.
    }
import-err-cnppm-ambiguous = ФИО «{ $value }» в организации «{ $organisation }» носят { $count } человека в боте: не понять, чей это результат. Уточните ФИО или организацию.
import-err-cnppm-duplicate = Результат по этой области для этого человека, даты и инструмента уже есть в строке { $first_row }.
import-err-not-number = «{ $value }» — не число: нужен результат от 0 до 100.
import-err-date-future = Дата { $value } ещё не наступила.
import-caseloads-over-limit = ⚠️ У методиста { $name } теперь педагогов: { $count } — больше целевого значения региона (C-5: не более { $limit } на 1 регионального методиста).

## Официальная статистика (import statistics): знаменатели показателей

import-kind-statistics = официальная статистика (знаменатели показателей)
import-report-ok-statistics =
    <b>✓ Официальная статистика загружена.</b>
    Новых строк (год и единица): { $created }, заменено: { $updated }. Доли показателей этих лет и единиц теперь считаются из официального числа.
import-err-stat-bad-level = Неизвестный уровень «{ $value }». Допустимо: регион, муниципалитет, школа.
import-err-stat-unit-needed = Для этого уровня нужно указать, о ком строка (муниципалитет; для школы — и школу).
import-err-stat-unit-extra = Лишнее для этого уровня: оставьте ячейку пустой (строка о регионе не называет муниципалитет, строка о муниципалитете — школу).
import-err-stat-no-counts = Нет ни одного числа: заполните хотя бы один из столбцов «Педагоги», «Управленческие кадры», «ОО», «Управленческие команды», «Молодые педагоги».
import-err-stat-more-than = { $value } — больше, чем { $other } в той же строке (часть не может быть больше целого).
import-err-stat-duplicate = Этот год и эта единица уже были в строке { $first_row }.

## Импорт записей: конкурсы, опыт, роли (python -m bot import records)
import-kind-records = конкурсы, опыт, роли (записи для показателей)
import-report-ok-records = ✓ Записи добавлены: { $created }.
import-records-already = Уже были в боте и пропущены: { $count }.
import-err-record-one-subject = Заполните одно из двух: ФИО или школа.
import-err-record-unknown-person = Не нашёл в боте «{ $value }»: проверьте ФИО.
import-err-record-ambiguous-person = ФИО «{ $value }» носят { $count } человека: заполните организацию.
import-err-record-kind = Неизвестный вид записи «{ $value }». Можно: конкурс, опыт, роль.
import-err-record-level = Неизвестный уровень «{ $value }». Можно: школьный, муниципальный, региональный, федеральный, международный.
import-err-record-title = «{ $value }» — напишите название словами.
import-err-record-result = «{ $value }» не подходит: для конкурса — участник, призёр, победитель; для роли — тьютор, эксперт, член жюри; для опыта оставьте пустым.
import-err-record-result-missing = Для конкурса укажите результат, для роли — роль.
import-err-record-school-kind = «{ $value }»: у школы бывают только конкурсы и представленный опыт.
import-err-record-date-future = Дата «{ $value }» ещё не наступила.
import-err-record-duplicate = Такая же запись уже есть в строке { $first_row }.
import-err-record-unknown-organisation = «{ $value }» — не место работы человека с этим ФИО в боте: проверьте организацию.
