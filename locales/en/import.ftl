## Catalogue import (storage/importers.py, handlers/import_report.py)

import-kind-programs = professional development programmes
import-kind-sites = internship sites
import-kind-events = events
import-kind-schools = schools

import-report-ok =
    <b>✓ Catalogue “{ $kind }” imported.</b>
    { $created ->
        [one] { $created } record added
       *[other] { $created } records added
    }, { $updated ->
        [one] { $updated } record updated.
       *[other] { $updated } records updated.
    }
import-report-failed =
    <b>✗ Catalogue “{ $kind }” not imported: { $count ->
        [one] { $count } error found.
       *[other] { $count } errors found.
    }</b>
    Nothing was changed: fix the file and upload it again.
import-report-row = Row { $row }, column “{ $column }”: { $message }
import-report-row-no-column = Row { $row }: { $message }
import-report-more =
    { $count ->
        [one] …and { $count } more error.
       *[other] …and { $count } more errors.
    }
cli-import-cannot-read = Cannot read { $path }: { $reason }

## Errors in the file as a whole

import-err-unknown-kind = Unknown catalogue “{ $kind }”. Allowed: programs, sites, events, schools, mentors, caseloads, cnppm-results, statistics.
import-err-unknown-region = Region “{ $region }” is not loaded.
import-err-unknown-format = “{ $name }” is not recognised: a CSV (.csv) or Excel (.xlsx) table is needed. Open an .xls file in Excel and save it as .xlsx.
import-err-unreadable = The file cannot be read: it is damaged or not a CSV/XLSX table.
import-err-empty = The file has no data rows below the header row.
import-err-no-header = The first row of the file must hold the column names.
import-err-too-many-rows = Too many rows: at most { $max } can be imported at once. Split the file.
import-err-missing-columns = Required columns are missing: { $columns }.
import-err-duplicate-column = Column “{ $column }” appears twice in the header.

## Errors in rows

import-err-required = This required cell is empty.
import-err-too-long = The text is too long ({ $length } characters); at most { $max } are allowed.
import-err-not-integer = “{ $value }” is not a whole number.
import-err-out-of-range = { $value } is out of range: from { $min } to { $max }.
import-err-bad-format = Unknown format “{ $value }”. Allowed: очно, дистанционно, смешанно (or ochno, distance, mixed).
import-err-bad-event-kind = Unknown event type “{ $value }”. Allowed: seminar, webinar, master_class, conference, readings, contest, round_table, open_lesson (or their Russian names).
import-err-bad-boolean = “{ $value }” should be yes or no (да or нет).
import-err-unknown-area = Unknown competence area “{ $value }”. Give its name (Subject, Methodical, Psychological and pedagogical, Communicative, IT and digital, Managerial) or code: { $allowed }.
import-err-unknown-subject = Unknown subject “{ $value }”. Give its name as in the teacher's profile (e.g. Mathematics, Primary school) or code: { $allowed }.
import-err-bad-url = The link “{ $value }” must start with http:// or https:// and contain no spaces.
import-err-bad-date = “{ $value }” is not a date. Use DD.MM.YYYY or YYYY-MM-DD.
import-err-bad-datetime = “{ $value }” is not a date and time. Use DD.MM.YYYY HH:MM (the region's local time).
import-err-date-range = The year in “{ $value }” is outside { $min }–{ $max }.
import-err-date-order = The end date { $ends } is before the start date { $starts }.
import-err-unknown-municipality = Municipality “{ $value }” is not in the region. Write its name as in the region's directory.
import-err-duplicate-id = The id “{ $value }” already appeared in row { $first_row }.
import-err-foreign-id = The id “{ $value }” is already taken by a record of another region ({ $region }).
import-err-bad-years = “{ $value }” should be years separated by commas, e.g. 2024, 2025.

import-choose-kind = Which catalogue do you want to load? The columns of each kind are described in storage/catalog/README.md.
import-send-file = Send a CSV or XLSX file: { $kind }. If any row has an error, nothing is loaded and you get a report row by row.
import-file-expected = Send the table as a file (CSV or XLSX), or open the menu — /menu.
import-file-too-big = The file is larger than { $max } MB. Split it into parts.
import-kind-mentors = mentor registry
import-err-one-account = Give one of the two: the person's Telegram ID or MAX ID.
import-err-unknown-user = No user with { $value } in this region: they must start the bot (/start) and complete the profile first.

## Caseloads (import caseloads)

import-kind-caseloads = teachers assigned to methodists
import-report-ok-caseloads =
    <b>✓ Caseloads loaded.</b>
    Assigned for the first time: { $created }, moved from another methodist: { $updated }. The region's assignment rules no longer change these.
import-err-unknown-methodist = Methodist “{ $value }” not found: give the Telegram ID, the MAX ID («MAX 123456») or the full name (exactly as in the profile) of a methodist or administrator of this region.
import-err-unknown-teacher = Teacher “{ $value }” not found: give the Telegram ID, the MAX ID («MAX 123456») or the full name (exactly as in the profile) of a teacher of this region who completed the profile.
import-err-ambiguous-person = { $count } people of the region are called “{ $value }”: give the Telegram ID.
import-err-unknown-school = School “{ $value }” is not in the region's directory (or not in the municipality given).
import-err-ambiguous-school = There is a school “{ $value }” in several municipalities: fill in the municipality column too.
import-err-duplicate-target = “{ $value }” is already assigned in row { $first_row }.
import-err-caseload-one-target = Leave municipality and school empty for a teacher: a row assigns a teacher, a school or a municipality.
import-err-caseload-no-target = Whom to assign? Fill in teacher, school or municipality.

## ЦНППМ diagnostic results (import cnppm-results, storage/cnppm_import.py)

import-kind-cnppm-results = ЦНППМ diagnostic results
import-report-ok-cnppm-results =
    <b>✓ ЦНППМ diagnostic results imported.</b>
    New diagnoses: { $created }, completed or confirmed: { $updated }. Deficits are stored as ЦНППМ recorded them.
import-cnppm-pending =
    { $count ->
        [one] { $count } more person does not use the bot yet: the results are kept and appear when they register.
       *[other] { $count } more people do not use the bot yet: the results are kept and appear when they register.
    }
import-err-cnppm-ambiguous = { $count } people in the bot are called “{ $value }” at “{ $organisation }”: whose result this is cannot be told. Make the name or the organisation precise.
import-err-cnppm-duplicate = A result in this area for this person, date and instrument is already in row { $first_row }.
import-err-not-number = “{ $value }” is not a number: a result from 0 to 100 is needed.
import-err-date-future = The date { $value } has not come yet.
import-caseloads-over-limit = ⚠️ Methodist { $name } now has { $count } teachers — over the region's target (C-5: at most { $limit } per regional methodist).

## Official statistics (import statistics): the indicators' denominators

import-kind-statistics = official statistics (the indicators' denominators)
import-report-ok-statistics =
    <b>✓ Official statistics loaded.</b>
    New rows (year and unit): { $created }, replaced: { $updated }. The shares of these years and units are now computed of the official totals.
import-err-stat-bad-level = Unknown level «{ $value }». Allowed: region, municipality, school.
import-err-stat-unit-needed = Say which unit the row is about (the municipality; for a school, the school too).
import-err-stat-unit-extra = Not for this level: leave the cell empty (a region's row names no municipality, a municipality's row no school).
import-err-stat-no-counts = No count at all: fill at least one of teachers, managers, schools, management teams, young teachers.
import-err-stat-more-than = { $value } is more than { $other } in the same row (a part cannot exceed the whole).
import-err-stat-duplicate = This year and unit were already in row { $first_row }.

## Records import: contests, experience, roles (python -m bot import records)
import-kind-records = contests, experience, roles (records for the indicators)
import-report-ok-records = ✓ Records added: { $created }.
import-records-already = Already in the bot and skipped: { $count }.
import-err-record-one-subject = Fill in one of the two: full name or school.
import-err-record-unknown-person = No “{ $value }” in the bot: check the name.
import-err-record-ambiguous-person = { $count } people are called “{ $value }”: fill in the organisation.
import-err-record-kind = Unknown record kind “{ $value }”. Allowed: contest, experience, role.
import-err-record-level = Unknown level “{ $value }”. Allowed: school, municipal, regional, federal, international.
import-err-record-title = “{ $value }” — write the name in words.
import-err-record-result = “{ $value }” does not fit: for a contest — participant, prize-winner, winner; for a role — tutor, expert, jury member; for experience leave it empty.
import-err-record-result-missing = Give the result for a contest, the role for a role.
import-err-record-school-kind = “{ $value }”: a school has only contests and presented experience.
import-err-record-date-future = The date “{ $value }” has not come yet.
import-err-record-duplicate = The same record is already in row { $first_row }.
import-err-record-unknown-organisation = “{ $value }” is not where the person of that name works, as the bot knows: check the organisation.
