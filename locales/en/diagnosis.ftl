## Self-diagnosis

diag-need-profile = To take the self-diagnosis, complete your profile first: send /start.
diag-intro =
    <b>Self-diagnosis</b> — a self-assessment, a preliminary request
    { $count ->
        [one] There is { $count } statement
       *[other] There are { $count } statements
    } about your work — rate each on a four-level scale. It takes about { $minutes } minutes; you can pause and continue later.
    Only you and your methodist see the result. This is a self-assessment — your preliminary request for development; identifying professional deficits — the official diagnosis — is done by { $cnppm }.
diag-btn-start = Start
diag-btn-again = Take it again
diag-btn-result = Latest result
diag-btn-resume = Continue
diag-btn-restart = Start over
diag-btn-na = Not applicable
diag-btn-back = ← Back
diag-btn-pause = ⏸ Pause
diag-unfinished = You have an unfinished self-diagnosis: { $done } of { $total } answered. Continue where you left off?
diag-statement =
    <b>Self-diagnosis</b> · { $number } of { $total }
    { $area }

    { $statement }
diag-paused = Paused. { $done } of { $total } answered. Your answers are saved — continue any time from «Self-diagnosis».
diag-finished = ✓ Self-diagnosis complete. Thank you!
diag-result =
    <b>Self-diagnosis results</b> ({ $date })
    Scores by area (0–100); below { $threshold } is your request for development:
    { $lines }

    <b>Request for development:</b> { $deficits }
    <b>Strengths:</b> { $strengths }

    <i>This is a self-diagnosis — a preliminary request; official results are recorded by { $cnppm }.</i>
diag-line = { $area }: { $score }
diag-line-deficit = ⚠️ { $area }: { $score }
diag-line-na = { $area }: not assessed
diag-change = ({ $points } since last time)
diag-compared = Changes are against the self-diagnosis of { $date }.
diag-none = none
diag-chart-title = Self-diagnosis: scores by area
diag-chart-previous = last time
diag-chart-threshold = gap threshold
diag-chart-na = not assessed
diag-chart-caption = Self-diagnosis results

## ЦНППМ diagnostic results (official)

diag-btn-official = 🏛 ЦНППМ results
diag-official-none = You have no ЦНППМ diagnostic results yet. A methodist enters them or the ЦНППМ uploads them; once they are here, a new route (ИОМ) is built from them.
diag-official-title = <b>🏛 ЦНППМ diagnostic results</b>
diag-official =
    <b>{ $date }</b> · instrument: { $instrument }
    Result by area (0–100) and deficits, as the ЦНППМ recorded them:
    { $lines }
    <b>Deficits:</b> { $deficits }
diag-official-line = { $area }: { $score }
diag-official-line-deficit = ⚠️ { $area }: { $score } — deficit
diag-official-route = A new route (ИОМ) is built from the latest ЦНППМ diagnosis.
diag-official-attached =
    🏛 { $count ->
        [one] Your ЦНППМ diagnostic result is already here
       *[other] Your ЦНППМ diagnostic results are already here ({ $count })
    }: have a look — your route (ИОМ) will be built from them.
