## Individual educational route (ИОМ)

route-need-diagnosis = Your route (ИОМ) is built from your ЦНППМ diagnostic results; until there are any, from the self-diagnosis as a preliminary request. Take it — about 10 minutes.
route-btn-draft = 🗺 Build my route
route-offer = You have no route yet. Build one? Basis: { $basis }.
route-offer-new = Your last route is complete. Build a new one? Basis: { $basis }.
route-exists = You already have a route — here it is.
route-drafted =
    { $count ->
        [one] A draft route is ready: { $count } item.
       *[other] A draft route is ready: { $count } items.
    } Check it: remove items, add more from the catalogue, change dates. Then send it to your methodist for approval.
route-drafted-no-deficits = The diagnosis found no deficits — the draft route develops your weakest area.
route-view =
    <b>My route (ИОМ)</b> · { $status }
    Period: { $start } – { $end } · { $hours } h in total · { $done } of { $total } done

    { $lines }

    Page { $page } of { $pages }. Press an item's number to open it.
route-line = { $number }. { $mark } <b>{ $area }</b>: { $title } — by { $due }, { $hours } h
route-empty = The route has no items yet. Add some from the catalogue.
route-comment = Methodist's comment: { $comment }
route-status-draft = draft
route-status-submitted = awaiting approval
route-status-returned = returned for changes
route-status-active = approved, in progress
route-status-completed = complete
route-btn-add = ➕ Add from the catalogue
route-btn-submit = 📤 Send for approval
route-btn-docx = 📄 Download DOCX
route-btn-done = ✅ Mark as done
route-btn-date = 🗓 Change the date
route-btn-remove = 🗑 Remove from the route
route-btn-back = ‹ Back to the route
route-item =
    <b>{ $title }</b>
    Gap: { $area }
    Form: { $kind } ({ $form })
    Workload: { $hours } h · due: { $due }
    Status: { $status }
    Why this item: { $reason }
route-item-planned = planned
route-item-done = done
route-form-formal = formal
route-form-nonformal = non-formal
route-form-informal = informal
route-kindname-course = Course (ДПП)
route-kindname-internship = Internship
route-kindname-event = Event
route-kindname-association = Methodical association
route-kindname-open_lesson = Open lessons
route-kindname-mentorship = Mentorship
route-kindname-self_education = Self-education
route-kind-association = Take part in the { $school } / { $municipal }: topic «{ $area }»
route-kind-open_lesson = Attend and discuss colleagues' open lessons: «{ $area }»
route-kind-self_education = Self-education: reading and webinars on «{ $area }», a short reflection
route-kind-mentorship = Work with a mentor: «{ $area }»
reason-course-registry = a course from the federal registry (ФР ДПП) for the gap «{ $area }»
reason-course = a professional development course for the gap «{ $area }»
reason-internship-near = an internship site in your municipality for the gap «{ $area }»
reason-internship = an internship site of the region for the gap «{ $area }»
reason-event = the nearest event for the gap «{ $area }»
reason-association = learning with colleagues for the gap «{ $area }»
reason-open-lesson = practice with colleagues: the catalogue has no course for the gap «{ $area }» yet
reason-self-education = your own work consolidates the gap «{ $area }»
reason-young-teacher = you are a young teacher: a mentor helps in the first years
reason-added = added by you
route-evidence-document = Evidence: document { $evidence }
route-evidence-photo = Evidence: photo
route-evidence-link = Evidence: { $evidence }
route-evidence-text = Evidence: reflection
route-removed = Item removed.
route-remove-confirm = Remove the item “{ $title }” from the route?
route-btn-remove-yes = Yes, remove
route-added = Item added.
route-ask-date = Type the new date as DD.MM.YYYY — from { $start } to { $end }:
route-date-outside = The date must be within the route: from { $start } to { $end }. Type another date.
route-date-changed = The date is now { $date }.
route-ask-evidence = Confirm «{ $title }» is done: send a document (e.g. a certificate), a photo, a link or a short reflection — what worked and what you will use.
route-evidence-invalid = Send a document, a photo, a link (https://…) or a reflection of { $min } to { $max } characters.
route-item-marked = ✅ «{ $title }» is marked as done.
route-completed = 🎉 Every item of your route is done! Take the self-diagnosis again — I will show how your results changed.
route-add-area = Choose the area to add an item for:
route-add-item = What should be added for «{ $area }»?
route-submit-empty = The route has no items.
route-submitted-methodist = Your route has been sent to your methodist for approval. Status: awaiting approval.
route-submitted-admins = You have no methodist yet, so your route went to the region's admins (the ЦНППМ): they will assign you a methodist, who will approve it. Status: awaiting approval.
route-submitted-nobody = Your route is ready for approval, but no methodist is assigned to you and no regional admin is in the bot yet. The route is saved and will reach a methodist as soon as one is assigned.
route-notify-no-methodist = 📥 { $name } submitted a route for approval, but the teacher has no methodist. Assign one and the route will be theirs. It waits in your Inbox.
docx-title = Individual educational route
docx-fio = Full name
docx-position = Position
docx-school = Organisation
docx-municipality = Municipality
docx-period = Period
docx-status = Status
docx-basis = Basis of the route
docx-deficits = Gaps found
docx-col-deficit = Gap
docx-col-tasks = Tasks
docx-col-forms = Forms
docx-col-due = Dates
docx-col-result = Result
docx-col-done = Completion mark
docx-forms = { $kind } ({ $form }), { $hours } h
docx-result-course = certificate of professional development
docx-result-internship = internship report, practice applied
docx-result-event = participation, event materials
docx-result-association = a talk or materials for colleagues
docx-result-open_lesson = notes on the lessons attended
docx-result-mentorship = plan and results of work with the mentor
docx-result-self_education = reflection, changes in practice
docx-total = Total hours: { $hours }
docx-caption = Your route as a DOCX file.

## What a route rests on (the route, its DOCX, the methodist's teacher card)

basis-line = <b>Basis of the route</b>: { $basis }
basis-cnppm = the ЦНППМ diagnosis of { $date } (instrument: { $instrument })
basis-self = the self-diagnosis of { $date } — a preliminary request (there were no ЦНППМ diagnostic results)
basis-none = not given
route-btn-my = 🗺 My route
route-newer-basis = 🏛 ЦНППМ diagnostic results came after this draft: { $basis }. The draft can be built again from them.
route-btn-redraft = 🏛 Build again from the ЦНППМ diagnosis
route-redrafted = The draft route is built again — from the ЦНППМ diagnostic results.
