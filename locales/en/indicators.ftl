## Indicators of the regional system (РС НМС) and the audit log (admin)

ind-summary-title =
    📊 <b>Indicators: { $unit }</b>
    Period: { $period } ({ $start } — { $end }), data as of { $date }
    Teachers and managers in the bot (profile complete): { $people }
ind-period-calendar = year { $label }
ind-period-school = school year { $label }
ind-ops-title = <b>Operational figures</b> (the bot's own, not from the documents; now)
ind-summary-recs = { $count ->
    [one] ⚠️ { $count } targeted recommendation — see the XLSX report.
   *[other] ⚠️ { $count } targeted recommendations — see the XLSX report.
}
ind-line =
    { $mark } <b>{ $id }</b> { $name }{ $cumulative }
        <b>{ $value }</b>: { $num } of { $den } { $basis } · { $target } · { $change }
ind-line-c5 =
    { $mark } <b>{ $id }</b> { $name }{ $cumulative }
        average <b>{ $avg }</b>, maximum { $max } (teachers { $num }, regional methodists { $den }) · { $target }
ind-line-nodata = { $mark } <b>{ $id }</b> { $name }{ $cumulative }: no data ({ $basis })
ind-line-parts = { $mark } <b>{ $id }</b> { $name }{ $cumulative } · { $target } — for each organisation:
ind-part = { "  " }• { $name }: <b>{ $value }</b> ({ $num } of { $den })
ind-parts-more = { "  " }• …and { $count } more — see the XLSX report
ind-parts-none = { "  " }• no programmes in the region's catalogue
ind-basis-official = of the official total
ind-basis-bot = of the bot's users
ind-cumulative = { " " }(cumulative)
ind-change = vs { $previous }: { $delta } pp (was { $before })
ind-change-none = vs { $previous }: nothing to compare
ind-names-in-xlsx = The indicators' wording (word for word from the documents) is in the XLSX report.
ind-none-at-level = The region's list has no indicators for this level.
ind-target-min = target at least { $target }{ $unit }
ind-target-max = target at most { $target }{ $unit }
ind-target-none = no target

ind-fact-teachers = Teachers (without managers)
ind-fact-managers = Managers
ind-fact-teachers-and-managers = Teachers and managers
ind-fact-young-teachers = Teachers under 35 in their first 3 years of work (the region's thresholds)
ind-fact-young-supported = Of them, in at least one form of support (the forms are a regional setting)
ind-fact-cnppm-diagnosed = Diagnosed at the ЦНППМ (self-diagnosis does not count)
ind-fact-route-on-cnppm = Have an approved ИОМ built on a ЦНППМ diagnosis
ind-fact-fr-dpp-on-deficit = Teachers who completed, in an approved ИОМ, a course of a ФР ДПП programme for a deficit the diagnosis found
ind-fact-qualification-done = Completed a professional development or retraining course in an approved ИОМ
ind-fact-professional-growth = Teachers in the system of professional growth: a ЦНППМ diagnosis, an approved ИОМ, a completed course or a form of support (the bot's definition: the document gives none)
ind-fact-contest-participants = Took part in professional skills contests (any level)
ind-fact-tutors-experts-jurors = Teacher-tutors, experts, jury members (any level)
ind-fact-schools = Schools
ind-fact-management-teams = Management teams (the head and deputies of one school)
ind-fact-teams-in-pk = Management teams one of whose members took a professional development course in an approved ИОМ
ind-fact-teams-quality-pk = Management teams one of whose members took a course on education quality management (the programmes' areas are a regional setting)
ind-fact-schools-in-contests = Schools that took part in professional contests
ind-fact-schools-presented-experience = Schools that presented their current experience
ind-fact-teachers-in-caseloads = Teachers assigned to regional methodists
ind-fact-regional-methodists = Regional methodists (the staff profile's title)
ind-fact-programmes = The organisation's programmes in the region's catalogue
ind-fact-programmes-in-fr-dpp = Of them, placed in the ФР ДПП

ind-fig-self-diag = Took the self-diagnosis (a preliminary request): { $num } of { $den } ({ $value })
ind-fig-days-to-route = Median days from diagnosis to ИОМ: { $value }
ind-fig-route-done = ИОМ completed: { $num } of { $den } ({ $value })
ind-fig-internships-applied = Internship applications: { $num }
ind-fig-internships-done = Internships done: { $num }
ind-fig-mentor-pairs = Active mentor pairs: { $num }
ind-fig-events = Event participation: { $num } of { $den } who signed up came ({ $value })
ind-fig-self-diag-short = Self-diagnosis
ind-fig-days-to-route-short = Median days diagnosis → ИОМ
ind-fig-route-done-short = ИОМ completed
ind-fig-internships-applied-short = Internship applications
ind-fig-internships-done-short = Internships done
ind-fig-mentor-pairs-short = Active mentor pairs
ind-fig-events-short = Event participation

ind-btn-prev = ‹ { $label }
ind-btn-next = { $label } ›
ind-btn-municipalities = 🏘 By municipality
ind-btn-schools = 🏫 By school
ind-btn-xlsx = 📥 Download XLSX
ind-btn-log = 📜 Audit log
ind-btn-summary = ‹ Back to indicators
ind-btn-newer = ‹ Newer
ind-btn-older = Older ›
ind-btn-newer-page = ‹ Back
ind-btn-older-page = Next ›

ind-units-empty = { $period }: nothing to show yet — no teachers with a complete profile and no official data.
ind-units-all-meet = { $period }: all ({ $count }) meet their targets. Choose one to open it.
ind-units-title = { $period }: { $count } of { $total } below target. Choose one to open it.
ind-units-item = { $id } { $value } (target { $target }%)
ind-units-line = ⚠️ <b>{ $name }</b> ({ $people } people): { $items }
ind-units-more = …and { $count } more — the full list is in the XLSX report.

ind-unit-other = Not in the directory
ind-level-region = Region
ind-level-municipality = Municipality
ind-level-school = School

ind-xlsx-caption = Indicators: { $unit }, { $period } (data as of { $date })
ind-xlsx-sheet-region = Region
ind-xlsx-sheet-municipality = Municipalities
ind-xlsx-sheet-school = Schools
ind-xlsx-sheet-organisations = By organisation
ind-xlsx-sheet-definitions = Definitions
ind-xlsx-sheet-recommendations = Recommendations
ind-xlsx-period = Period
ind-xlsx-people = Teachers and managers in the bot
ind-xlsx-col-value = { $id }, %
ind-xlsx-col-avg = { $id }, average
ind-xlsx-col-fraction = { $id }: numerator/denominator
ind-xlsx-col-basis = { $id }: denominator
ind-xlsx-col-previous = { $id }: { $previous }, %
ind-xlsx-col-change = { $id }: change, pp
ind-xlsx-col-target = { $id }: target
ind-xlsx-col-max = { $id }: maximum
ind-xlsx-org-id = Indicator
ind-xlsx-org-name = Organisation
ind-xlsx-org-num = In ФР ДПП
ind-xlsx-org-den = All programmes
ind-xlsx-org-value = Share, %
ind-xlsx-def-id = Indicator
ind-xlsx-def-name = Wording (word for word)
ind-xlsx-def-num = Numerator
ind-xlsx-def-den = Denominator
ind-xlsx-def-target = Targets by year
ind-xlsx-def-cumulative = Cumulative
ind-xlsx-def-levels = Levels
ind-xlsx-def-source = Source
ind-xlsx-yes = yes
ind-xlsx-no = no
ind-xlsx-source = { $ref } (file:lines; 000 — the ЕФС Concept; 001 — Methodological recommendations to the regions; 002 — the Petrovsk district's МСНМС Concept; 003 — order of the Kuzbass Ministry of Education)
ind-xlsx-op = Operational
ind-xlsx-op-source = The bot's own figure, not from the regulations
ind-xlsx-rec-level = Level
ind-xlsx-rec-unit = Where
ind-xlsx-rec-municipality = Municipality
ind-xlsx-rec-indicator = Indicator
ind-xlsx-rec-value = Value
ind-xlsx-rec-target = Target
ind-xlsx-rec-action = What to do

ind-rec-share = { $needed ->
    [one] To reach the target, { $needed } more person or organisation is needed
   *[other] To reach the target, { $needed } more people or organisations are needed
} (now { $num } of { $den }, target { $target }%).
ind-rec-caseload = { $over ->
    [one] { $over } regional methodist has
   *[other] { $over } regional methodists have
} more than { $target } teachers (maximum { $maximum }, { $excess } above the target): redistribute the caseloads; methodists missing: { $more }.
ind-rec-programmes = Some organisations have a share of programmes in the ФР ДПП below the target of { $target }%: submit programmes to the ФР ДПП.

ind-log-title = <b>Audit log</b> · page { $page }
ind-log-empty = The audit log is empty.
ind-log-line = { $when } · { $who } · { $what }
ind-log-system = system
ind-action-invite-create = invite created
ind-action-invite-revoke = invite revoked
ind-action-role-grant = role granted
ind-action-role-remove = role removed
ind-action-route-approve = ИОМ approved
ind-action-route-return = ИОМ returned for revision
ind-action-item-transfer = transfer into practice confirmed
ind-action-diagnosis-official = ЦНППМ diagnosis recorded
ind-action-caseload-assign = teacher assigned to a methodist
ind-action-catalogue-import = catalogue imported
ind-action-mentor-nominate = mentor nominated
ind-action-pair-assign = mentor pair assigned
ind-action-pair-close = mentor pair closed
ind-action-broadcast-send = broadcast started
ind-action-broadcast-cancel = broadcast cancelled
ind-action-event-create = event created
