## Records for the municipal indicators (002, indicators 3–6): professional skills contests, presented
## current experience, teacher-tutors, experts, jury members

rec-section = <b>Contests, experience, roles</b>
rec-line = • { $date } · { $kind } ({ $level }): { $title }
rec-line-result = • { $date } · { $kind } ({ $level }): { $title } — { $result }
rec-kind-contest = Professional skills contest
rec-kind-experience = Presented current experience
rec-kind-role = Tutor, expert, jury member
rec-level-school = school level
rec-level-municipal = municipal level
rec-level-regional = regional level
rec-level-federal = federal level
rec-level-international = international level
rec-result-participant = participant
rec-result-prize_winner = prize-winner, laureate
rec-result-winner = winner
rec-result-tutor = teacher-tutor
rec-result-expert = expert
rec-result-jury = jury member
rec-btn-add = 🏆 Add: contest, experience, role
rec-header = <b>New record</b> · { $name }
rec-ask-kind = What to record?
rec-ask-level = Level:
rec-ask-title-contest = Write the name of the contest.
rec-ask-title-experience = Write the topic of the presented experience (and where it was presented).
rec-ask-title-role = Write where the teacher served as a tutor, expert or jury member (contest, review, programme).
rec-ask-result-contest = Result:
rec-ask-result-role = Role:
rec-ask-date = Write the date as DD.MM.YYYY (the day of the contest, of the presentation or of the work in the role).
rec-saved = ✓ Record saved: { $name }.
rec-stopped = The record was not saved.
rec-err-title-letters = Please write the name in words.
rec-err-date-old = The date is before { $year } — please check the year.
rec-schools-places = <b>Schools: contests and experience</b>
    Choose a municipality:
rec-schools-list = <b>{ $municipality }</b>
    Choose a school:
rec-schools-none = <b>{ $municipality }</b>
    The region's directory has no schools of this municipality.
rec-school-card = <b>{ $school }</b> · { $municipality }
rec-none = No records yet.
rec-btn-add-school = 🏆 Add: contest, experience
rec-btn-to-school = To the school
rec-ask-title-contest-school = Write the name of the professional contest the school took part in.
rec-ask-title-experience-school = Write the topic of the presented current experience (and where it was presented).
