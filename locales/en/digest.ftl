## The methodist's daily digest (handlers/digest.py)

digest-title = 📋 <b>Digest for { $date }</b> · teachers: { $teachers }
digest-empty-caseload = 📋 No teachers are assigned to you yet. The digest will appear once an administrator or the region's rules assign them.
digest-quiet = 📋 { $date }: nothing new about your teachers ({ $teachers }) in the last day.
digest-fresh = (new: { $count })
digest-fresh-mark = 🔸
digest-legend = 🔸 — new in the last day

digest-count-new = New teachers: { $count }
digest-count-diag = Completed a self-diagnosis: { $count }
digest-count-await = ИОМ awaiting approval: { $count }
digest-count-late =
    Overdue ИОМ items: { $count } { $count ->
        [one] teacher
       *[other] teachers
    }, { $items } { $items ->
        [one] item
       *[other] items
    }
digest-count-proof =
    Results awaiting confirmation: { $count } { $count ->
        [one] teacher
       *[other] teachers
    }, { $items } { $items ->
        [one] item
       *[other] items
    }
digest-count-young = Young teachers without a mentor or support: { $count }
digest-count-idle =
    Not seen for over { $days } { $days ->
        [one] day
       *[other] days
    }: { $count }

digest-head-new = New teachers
digest-head-diag = Completed a self-diagnosis
digest-head-await = ИОМ awaiting approval
digest-head-late = Overdue ИОМ items
digest-head-proof = Confirm the transfer into practice
digest-head-young = Young teachers without support
digest-head-idle = Not seen for a while

digest-line-new = { $name } — profile completed { $when }
digest-line-diag = { $name } — deficits: { $areas }
digest-line-diag-none = { $name } — no deficits found
digest-line-await = { $name } — awaiting approval since { $when }
digest-line-late =
    { $name } — { $items } { $items ->
        [one] item
       *[other] items
    }
digest-line-proof =
    { $name } — { $items } { $items ->
        [one] item
       *[other] items
    }, latest { $when }
digest-line-young = { $name }
digest-line-idle = { $name } — last seen { $when }
digest-line-idle-never = { $name } — not seen since registering
digest-more =
    … and { $count } more { $count ->
        [one] teacher
       *[other] teachers
    }

digest-short-new = New
digest-short-diag = Self-diagnosis
digest-short-await = Awaiting approval
digest-short-late = Overdue
digest-short-proof = To confirm
digest-short-young = Young, no support
digest-short-idle = Inactive

digest-btn-all = { $section }: all { $count } ›
digest-btn-back = ‹ Back to the digest
digest-btn-open = 📋 Open the digest
digest-btn-settings = ⚙️ Digest settings
digest-page = page { $page } of { $pages }
digest-page-empty = Nobody is left here: the list has changed.

digest-chart-title =
    Deficits in the latest self-diagnosis ({ $count } { $count ->
        [one] teacher
       *[other] teachers
    })
digest-chart-axis = Teachers with the deficit

## Digest settings

digest-settings =
    ⚙️ <b>Daily digest</b>
    Arrives at <b>{ $time }</b> local time ({ $zone }); the next one — { $next }.
    On a day with nothing new: { $quiet }.

    Pick a time or press «Other time»; below, what to send on a quiet day.
digest-quiet-short = one short line
digest-quiet-none = nothing
digest-btn-time-other = Other time…
digest-btn-quiet-short = A short line
digest-btn-quiet-none = Send nothing
digest-ask-time = Type the digest time as HH:MM, for example 07:45.
digest-err-time-format = I could not read that time. Type it as HH:MM, for example 07:45.
digest-err-time-range = There is no such time: hours go from 00 to 23, minutes from 00 to 59. For example: 07:45.
digest-time-saved = The digest will arrive at { $time }.
digest-quiet-saved = Saved.
