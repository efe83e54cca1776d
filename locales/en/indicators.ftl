## Indicators of the regional system (РС НМС) and the audit log (admin)

ind-summary-title =
    📊 <b>Indicators: { $region }</b> on { $date }
    Teachers and managers in the bot (profile complete): { $people }
ind-ops-title = <b>Operational figures</b> (not official)
ind-summary-recs = { $count ->
    [one] ⚠️ { $count } targeted recommendation — see the XLSX report.
   *[other] ⚠️ { $count } targeted recommendations — see the XLSX report.
}
ind-line = { $mark } <b>{ $id }</b> { $name }: <b>{ $value }</b> ({ $num } of { $den }) · { $target }
ind-line-c5 = { $mark } <b>{ $id }</b> { $name }: average <b>{ $avg }</b>, maximum { $max } (teachers { $num }, methodists { $den }) · { $target }
ind-line-nodata = { $mark } <b>{ $id }</b> { $name }: no data
ind-target-min = target ≥ { $target }{ $unit }
ind-target-max = target ≤ { $target }{ $unit }
ind-target-none = no target

ind-r1-name = Diagnosed for professional deficits at the ЦНППМ
ind-r1-num = Teachers and managers with at least one ЦНППМ diagnosis result (self-diagnosis does not count)
ind-r1-den = Teaching and management staff of the region with a complete profile
ind-r2-name = Individual routes (ИОМ) built on diagnosis results
ind-r2-num = Teachers and managers with an ИОМ built on a diagnosis
ind-r2-den = Teaching and management staff of the region with a complete profile
ind-c3-name = Completed ФР ДПП programmes chosen on the basis of diagnosis
ind-c3-num = Teachers who completed an ИОМ course of a ФР ДПП programme addressing a deficit found by the diagnosis the ИОМ is built on
ind-c3-den = Teaching staff (managers excluded)
ind-c4-name = Management teams that took part in professional development programmes
ind-c4-num = Schools whose head or deputy completed a professional development course in an ИОМ
ind-c4-den = Schools with at least one head or deputy
ind-c5-name = Teachers per regional methodist
ind-c5-num = Teachers of the region assigned to methodists
ind-c5-den = Methodists with teachers of the region (the target is met when each has no more than the target number)
ind-c6-name = Young teachers in forms of support
ind-c6-num = Young teachers in an active mentor pair or with an approved ИОМ that includes mentorship
ind-c6-den = Teachers under 35 in their first 3 years (the region's thresholds)
ind-r6-name = The organisation's programmes placed in ФР ДПП
ind-r6-num = The region's programmes placed in ФР ДПП
ind-r6-den = All the region's programmes in the catalogue

ind-fig-self-diag = Self-diagnosis done: { $num } of { $den } ({ $value })
ind-fig-route-cnppm = ИОМ built on a ЦНППМ diagnosis: { $num } of { $den } ({ $value })
ind-fig-days-to-route = Median days from diagnosis to ИОМ: { $value }
ind-fig-route-done = ИОМ completed: { $num } of { $den } ({ $value })
ind-fig-internships-applied = Internship applications: { $num }
ind-fig-internships-done = Internships done: { $num }
ind-fig-mentor-pairs = Active mentor pairs: { $num }
ind-fig-events = Event participation: { $num } of { $den } who said they would come ({ $value })
ind-fig-self-diag-short = Self-diagnosis
ind-fig-route-cnppm-short = ИОМ on a ЦНППМ diagnosis
ind-fig-days-to-route-short = Median days diagnosis → ИОМ
ind-fig-route-done-short = ИОМ completed
ind-fig-internships-applied-short = Internship applications
ind-fig-internships-done-short = Internships done
ind-fig-mentor-pairs-short = Active mentor pairs
ind-fig-events-short = Event participation

ind-btn-municipalities = 🏘 By municipality
ind-btn-xlsx = 📥 Export XLSX
ind-btn-log = 📜 Audit log
ind-btn-summary = ‹ Back to indicators
ind-btn-newer = ‹ Newer
ind-btn-older = Older ›

ind-mun-empty = No teachers with a complete profile in the region yet.
ind-mun-all-meet = All municipalities ({ $count }) meet the targets.
ind-mun-title = { $count ->
    [one] <b>Below target</b>: { $count } municipality of { $total }
   *[other] <b>Below target</b>: { $count } municipalities of { $total }
}
ind-mun-item = { $id } { $value } (target { $target }%)
ind-mun-line = ⚠️ <b>{ $name }</b> ({ $people } people): { $items }
ind-mun-more = …and { $count } more — the full list is in the XLSX report.

ind-unit-other = Not in the directory
ind-level-region = Region
ind-level-municipality = Municipality
ind-level-school = School

ind-xlsx-caption = Indicators: { $region } on { $date }
ind-xlsx-sheet-region = Region
ind-xlsx-sheet-municipality = Municipalities
ind-xlsx-sheet-school = Schools
ind-xlsx-sheet-definitions = Definitions
ind-xlsx-sheet-recommendations = Recommendations
ind-xlsx-people = Teachers and managers
ind-xlsx-col-value = { $id }, %
ind-xlsx-col-avg = { $id }, average
ind-xlsx-col-fraction = { $id }: numerator/denominator
ind-xlsx-col-target = { $id }: target
ind-xlsx-col-max = { $id }: maximum
ind-xlsx-def-id = Indicator
ind-xlsx-def-name = Wording
ind-xlsx-def-num = Numerator
ind-xlsx-def-den = Denominator
ind-xlsx-def-target = Target
ind-xlsx-def-levels = Levels
ind-xlsx-def-source = Source
ind-xlsx-source = { $ref } (000 — the ЕФС Concept; 001 — the methodological recommendations to the regions)
ind-xlsx-op = Operational
ind-xlsx-op-source = A figure of the bot, not from the regulations
ind-xlsx-rec-level = Level
ind-xlsx-rec-unit = Where
ind-xlsx-rec-municipality = Municipality
ind-xlsx-rec-indicator = Indicator
ind-xlsx-rec-value = Value
ind-xlsx-rec-target = Target
ind-xlsx-rec-action = What to do

ind-rec-c3 = { $needed ->
    [one] Recommend ФР ДПП courses matching their deficits and see them completed by { $needed } more teacher
   *[other] Recommend ФР ДПП courses matching their deficits and see them completed by { $needed } more teachers
} (now { $num } of { $den }, target { $target }%).
ind-rec-c4 = { $needed ->
    [one] Involve the management team of { $needed } more school
   *[other] Involve the management teams of { $needed } more schools
} in professional development programmes (now { $num } of { $den }, target { $target }%).
ind-rec-c5 = { $over ->
    [one] { $over } methodist has
   *[other] { $over } methodists have
} more than { $target } teachers (maximum { $maximum }, { $excess } above the limit): redistribute the caseloads; methodists missing: { $more }.
ind-rec-c6 = { $needed ->
    [one] Assign a mentor to { $needed } more young teacher
   *[other] Assign mentors to { $needed } more young teachers
} (without support: { $unsupported } of { $den }, target { $target }%).

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
