## Common words and buttons

yes = yes
no = no
language-name = English
language-switched = Interface language: English.
btn-switch-language = 🌐 Русский
btn-prev = ‹ Back
btn-next = Next ›
btn-back = ‹ Menu
btn-done = Done ✓
btn-cancel = Cancel
btn-not-in-list = Not in the list
picker-page = { $page } / { $pages }

role-teacher = teacher
role-methodist = methodist
role-admin = administrator

## Start and consent (Federal Law 152-FZ)

start-greeting =
    Hello! I am an assistant of the unified federal system of scientific and methodological support for teachers (ЕФС).
    I help you take a self-diagnosis — a self-assessment, your preliminary request for development — see your ЦНППМ diagnostic results, build an individual educational route (ИОМ), and find courses from the federal registry (ФР ДПП), internship sites, events and a mentor.
consent-request =
    <b>Consent to personal data processing</b>
    To build your profile and route I need to store your full name, position, place of work, subjects, date of birth, teaching experience and qualification category (Federal Law No. 152-FZ "On Personal Data").
    Only you, your methodist and the regional system's administrators see them. View them with /mydata, delete them with /forget.
btn-consent-yes = I agree
btn-consent-no = I do not agree
consent-declined = All right, I have stored nothing. If you change your mind, send /start.
consent-given = ✓ Consent received. Thank you!

invite-invalid = This invitation link is not valid: it has been used, revoked or has expired. Ask an administrator for a new one.
invite-accepted = Invitation accepted. Your role: <b>{ $role }</b>.
need-start = Let's begin first: send /start.

## Profile wizard

wizard-resume = Let's continue your profile where you left off.
wizard-done =
    Your profile is complete. Here is what I saved:

    { $profile }

    You can change anything in the «Profile» section.
ask-full-name = What is your name? Write your surname, first name and patronymic (for example: <i>Ivanova Maria Petrovna</i>).
ask-position = Your position:
ask-region = Choose your region:
ask-municipality = Choose your municipality, or type part of its name to narrow the list:
ask-school = Choose your school or organisation, or type part of its name to narrow the list:
ask-municipality-custom = Type the name of your municipality:
ask-school-custom = Type the name of your school or organisation:
ask-subjects = Which subjects do you teach? Tick one or more and press «Done».
ask-birth-date = Date of birth as DD.MM.YYYY (for example: 14.05.1992):
ask-work-start = In which year did you start teaching? Type the year, for example: 2019.
ask-qualification = Qualification category:
ask-staff-title =
    You are filling in a staff profile: there will be no questions about teaching.
    Your role:
ask-organisation = Type the name of your organisation (for example: <i>CNPPM of the Kostroma region</i>):
ask-also-teacher = Do you also teach? Then fill in the teacher's profile too: you will be counted as a teacher in the indicators.
staff-title-regional_methodist = Regional methodologist
staff-title-municipal_methodist = Municipal methodologist
staff-title-tutor = Tutor
staff-title-cnppm = { $cnppm } specialist
staff-title-iro = { $iro } specialist
staff-title-mms = Municipal methodical service specialist
staff-title-administrator = Administrator
btn-also-teacher-yes = Yes, I teach too
btn-also-teacher-no = No
err-organisation-empty = The message seems to be empty.
err-organisation-too-long = Too long: { $length } characters, at most { $max } allowed.
err-organisation-letters = Please write the name in words, for example: CNPPM of the Kostroma region.
picker-nothing-found = Nothing matches «{ $query }». Try other words or press «Not in the list».
picker-found =
    { $count ->
        [one] { $count } match for «{ $query }».
       *[other] { $count } matches for «{ $query }».
    } Choose one or type something else.

position-teacher = Teacher
position-head = Head of organisation
position-deputy = Deputy head
position-unit_head = Head of a department
position-addl_ed = Teacher of additional education
position-other = Other

qualification-none = No category
qualification-conformity = Conformity with the position
qualification-first = First
qualification-highest = Highest
qualification-methodist = Teacher-methodist
qualification-mentor = Teacher-mentor

subject-primary = Primary school
subject-russian = Russian language
subject-literature = Literature
subject-native = Native language and literature
subject-foreign = Foreign language
subject-math = Mathematics
subject-informatics = Computer science
subject-physics = Physics
subject-chemistry = Chemistry
subject-biology = Biology
subject-geography = Geography
subject-history = History
subject-social = Social studies
subject-arts = Fine arts
subject-music = Music
subject-technology = Technology
subject-pe = Physical education
subject-obzr = Safety and defence (ОБЗР)
subject-preschool = Preschool education
subject-addl = Additional education
subject-other = Other

## Input errors

err-fio-empty = The message seems to be empty.
err-fio-too-long = Too long: { $length } characters, at most { $max } allowed.
err-fio-chars = A name may contain only letters, spaces, hyphens and apostrophes.
err-fio-short = Please write at least your surname and first name.
err-name-empty = The message seems to be empty.
err-name-too-long = Too long: { $length } characters, at most { $max } allowed.
err-name-letters = Please write the name in words, e.g. School No. 5.
err-date-format = I could not read the date. Use DD.MM.YYYY, for example 14.05.1992.
err-date-impossible = There is no such date. Check the day and the month.
err-date-future = This date has not come yet.
err-age-range =
    { $age ->
        [one] By this date you are { $age } year old,
       *[other] By this date you are { $age } years old,
    } but the profile is for ages { $min } to { $max }. Check the year.
err-year-format = Please type a four-digit year, for example 2019.
err-year-future = This year has not come yet.
err-year-too-young = That would mean you started working before the age of { $min }. The earliest possible year is { $earliest }.
err-year-too-old = Check the year: it is too long ago.
err-text-expected = A text answer is needed here: please send it as a message.
err-button-expected = Please choose an option with the buttons below.
err-subjects-empty = Tick at least one subject.
err-stale-button = This button is out of date. Open the section again from the menu.

## Profile

profile-card =
    <b>Profile</b>
    Full name: { $full_name }
    Position: { $position }
    Region: { $region }
    Municipality: { $municipality }
    Organisation: { $school }
    Subjects: { $subjects }
    Date of birth: { $birth_date }
    Started teaching: { $work_start }
    Qualification category: { $qualification }
    Young teacher: { $young }
    Role: { $role }
    Language: { $language }
birth-date-with-age =
    { $date } ({ $age ->
        [one] { $age } year
       *[other] { $age } years
    })
work-start-with-experience =
    { $year } ({ $years ->
        [one] { $years } year of experience
       *[other] { $years } years of experience
    })
btn-edit-full-name = ✏️ Full name
btn-edit-position = ✏️ Position
btn-edit-workplace = ✏️ Place of work
btn-edit-subjects = ✏️ Subjects
btn-edit-birth-date = ✏️ Date of birth
btn-edit-work-start = ✏️ Started teaching
btn-edit-qualification = ✏️ Category
staff-card =
    <b>Staff profile</b>
    Full name: { $full_name }
    Role: { $staff_title }
    Organisation: { $organisation }
    Region: { $region }
    Municipality: { $municipality }
    I teach too: { $also_teacher }
    Access: { $role }
    Language: { $language }
profile-mms = Methodical service: { $name }
staff-card-teaching =
    <b>As a teacher</b>
    Position: { $position }
    Place of work: { $school }
    Subjects: { $subjects }
    Date of birth: { $birth_date }
    Started teaching: { $work_start }
    Qualification category: { $qualification }
    Young teacher: { $young }
btn-edit-staff-title = ✏️ Role
btn-edit-organisation = ✏️ Organisation
btn-edit-also-teacher = ✏️ I teach too

## Main menu

menu-diagnosis = 🧭 Self-diagnosis
menu-route = 🗺 My route (ИОМ)
menu-internships = 🏫 Internships
menu-mentorship = 🤝 Mentorship
menu-events = 📅 Events
menu-profile = 👤 Profile
menu-help = ❓ Help
menu-methodist = 🗂 Methodist's desk
menu-admin = ⚙️ Administration
menu-intro = Choose a section in the menu at the bottom of the screen.
menu-welcome-back = Welcome back! Choose a section in the menu at the bottom of the screen.
not-understood = I did not understand that. Choose a section in the menu at the bottom of the screen or send /help.
unknown-command = There is no such command. Available commands: /start, /menu, /help, /mydata, /forget.

help =
    <b>What I can do</b>
    🧭 <b>Self-diagnosis</b> — a self-assessment, your preliminary request for development; your ЦНППМ diagnostic results are there too.
    🗺 <b>My route (ИОМ)</b> — an individual educational route built from your ЦНППМ diagnostic results (until there are any, from the self-diagnosis).
    🏫 <b>Internships</b> — the region's internship sites.
    🤝 <b>Mentorship</b> — a mentor for a young teacher.
    📅 <b>Events</b> — seminars, webinars, conferences.
    👤 <b>Profile</b> — your data and language.

    Commands: /start — begin, /menu — menu, /mydata — my data, /forget — delete my data.
help-staff = For staff: /admin — administration, /caseload — teachers' methodists (administrators); /digest — the digest, «🗂 Methodist's desk» — teachers, routes and mentorship (methodists); /schools — schools' contests and experience.


## My data

mydata-summary =
    <b>What is stored about you</b>
    { $messenger } ID: { $account_id }
    Consent given: { $consent_at }
    Role: { $role }
    Full name: { $full_name }
    Region: { $region }
    Municipality: { $municipality }
    Organisation: { $school }
    Subjects: { $subjects }
    Date of birth: { $birth_date }
    Started teaching: { $work_start }
    Qualification category: { $qualification }
    Invitations linked to you: { $invites }
mydata-rows = <b>Also stored about you</b> (in detail in the file):
mydata-rows-none = • nothing else
mydata-section-diagnoses = • diagnoses: { $count }
mydata-section-diagnosis_answers = • answers to diagnosis statements: { $count }
mydata-section-routes = • individual routes: { $count }
mydata-section-route_items = • route items (with evidence): { $count }
mydata-section-internship_applications = • internship applications: { $count }
mydata-section-event_responses = • event replies and attendance: { $count }
mydata-section-professional_records = • contests, presented experience, tutor, expert and jury roles: { $count }
mydata-section-mentor_profiles = • mentor profile: { $count }
mydata-section-mentor_requests = • mentorship requests: { $count }
mydata-section-mentor_pairs = • mentorship pairs: { $count }
mydata-section-mentor_meetings = • mentorship meetings: { $count }
mydata-section-caseloads = • caseload assignments: { $count }
mydata-section-methodist_settings = • methodist digest settings: { $count }
mydata-section-invites = • invitations: { $count }
mydata-section-linked_accounts = • accounts linked on other messengers: { $count }
mydata-section-link_codes = • codes to link accounts: { $count }
mydata-section-outbox = • messages from the bot to you (reminders, notifications): { $count }
mydata-section-broadcast_deliveries = • broadcasts received: { $count }
mydata-section-broadcasts = • broadcasts you created: { $count }
mydata-section-events = • events you created: { $count }
mydata-section-audit_log = • audit log entries (by you and about you): { $count }
mydata-acted-on = • records of your actions on other people's rows: { $count }
mydata-conversation = • an unfinished conversation with the bot
mydata-file = All your data in machine-readable form (JSON).
forget-confirm = Delete all your data? Your profile and everything linked to it will be erased for good.
btn-forget-yes = Yes, delete everything
forget-cancelled = Deletion cancelled; your data is still here.
forget-done = All your data has been deleted.
forget-after = To start again, send /start.

## Administration

no-access = No access: this section is not for your role.
admin-menu = <b>Administration</b>
    Assign teachers to methodists: /caseload
admin-btn-invite-methodist = ➕ Invite a methodist
admin-btn-invite-admin = ➕ Invite an administrator
admin-btn-invites = 🔗 Active invitations
admin-btn-staff = 👥 Staff
admin-btn-broadcast = 📣 Broadcast
admin-btn-events = 📅 Events
admin-btn-import = 📥 Import catalogues
admin-btn-indicators = 📊 Indicators
admin-invite-created =
    An invitation for the role «{ $role }» is ready. Forward this link to the person you invite:
    { $link }
    It works once and is valid until { $expires }.
admin-invites-none = There are no active invitations.
admin-invites =
    { $count ->
        [one] { $count } active invitation.
       *[other] { $count } active invitations.
    } Press one to revoke it.
admin-invite-revoke = ✖ { $role }, until { $expires }
admin-invite-revoked = Invitation revoked.
admin-revoke-confirm = Revoke the invitation ({ $role }, valid until { $expires })? The link will stop working.
admin-btn-revoke-yes = Yes, revoke
admin-staff =
    { $count ->
        [one] { $count } staff member.
       *[other] { $count } staff members.
    } Press one to remove the role (the person becomes a teacher).
admin-staff-none = There are no other methodists or administrators yet.
admin-staff-demote = ✖ { $name } — { $role }
admin-demoted = Role removed.
admin-demote-confirm =
    Remove the { $role ->
        [methodist] methodist
       *[admin] administrator
    } role from { $name }?
    They will become a teacher and lose access to the staff sections.
admin-btn-demote-yes = Yes, remove

## System

error-generic = Something went wrong and your action was not completed. Please try again or send /start.
command-start = Start
command-menu = Main menu
command-help = Help
command-mydata = My data
command-forget = Delete my data
cli-no-token =
    BOT_TOKEN is not set. Get a token from @BotFather in Telegram (/newbot) and run:
      BOT_TOKEN=123456:ABC... python -m bot run
    or put BOT_TOKEN=... into the .env file.
    For MAX set MAX_TOKEN (the bot's token from business.max.ru); both at once work too.
    To try the bot without Telegram, right here in the terminal: python -m bot sandbox
cli-no-webhook-url =
    WEBHOOK_BASE_URL is not set: the public https address at which Telegram reaches the workers,
    e.g. WEBHOOK_BASE_URL=https://bot.example.org (the reverse proxy passes { $path } to them).
    Without a public address, run the bot with long polling: python -m bot run

## Sandbox (terminal)

sandbox-banner =
    ЕФС bot sandbox: you are user { $user_id }, database { $database }.
    Type messages as in { $messenger } (start with /start). Press buttons by their number: 1, 2, …
    «:as 3001» makes you another person, «:later 1d» moves the clock forward, «:help» lists every command. Quit with /quit or Ctrl+D.
sandbox-help =
    Sandbox commands:
      1, 2, …       press the button with that number
      !text         send the text as it is (!1 is the number 1, not a button)
      :as 3001      become the person with Telegram id 3001: their chat and their buttons
      :who          who is in the sandbox and who has unread messages
      :history      the last messages of this chat again
      :later 1d     move the clock forward (1d days, 3h hours, 30m minutes, 1d12h) and run what is due: reminders, digests, broadcasts, lapsed requests
      :now          the time on the sandbox's clock
      empty line    run what is due without moving the clock
      :photo, :sticker  send a photo or a sticker
      :quit         quit (or /quit, Ctrl+D)
    To send the bot a message that starts with «:», put «!» before it.
sandbox-unknown-command = No such command: { $command }. :help lists the commands. To send it to the bot as text, put «!» before it.
sandbox-no-argument = { $command } takes nothing after it. :help lists the commands.
sandbox-as-usage = :as needs a person's Telegram id, a whole number, e.g. :as 3001.
sandbox-later-usage = :later needs a duration: 30m (minutes), 3h (hours), 1d (days) or together, 1d12h.
sandbox-later-too-far = The clock does not move that far: at most { $days } days at a time.
sandbox-history = The last messages of this chat ({ $count }):
sandbox-history-empty = The bot has sent nothing to this chat yet.
sandbox-later = ⏩ Sandbox clock: { $now }
sandbox-time = 🕓 Sandbox clock: { $now }
sandbox-switched = — You are now user { $user_id } —
sandbox-switched-new = This person has not written to the bot yet: start with /start.
sandbox-switched-nothing-new = No new messages.
sandbox-people = People in the sandbox:
sandbox-people-you = { $user_id }: you
sandbox-people-other = { $user_id }: { $unseen } unread
sandbox-link = Link button: { $url }
sandbox-edited = (edited)
sandbox-start-link = ↪ In the sandbox this link is the command { $command }: become the person it is for (:as 2001) and send it.

## Competence areas (codes from domain/framework.py)

area-subject = Subject
area-methodical = Methodical
area-psych_ped = Psychological and pedagogical
area-communicative = Communicative
area-it_digital = IT and digital
area-managerial = Managerial

## Events: answering an invitation

event-btn-going = ✅ I will come
event-btn-not-going = I cannot come

## Inbox
menu-inbox = 📥 Inbox
inbox-empty = Nothing is waiting for your answer yet.
inbox-title = Inbox: { $count }
inbox-no-name = (no name)
inbox-no-comment = no comment
inbox-mentor-request = { $number }. Mentorship request from { $name }: { $form }
inbox-route-to-approve = { $number }. Route (ИОМ) to approve: { $name }
inbox-transfer = { $number }. Confirm the transfer to practice: { $name }, items: { $count }
inbox-route-returned = { $number }. Your route was returned for changes: { $comment }
inbox-more = …and { $count } more. Answer these, then open the inbox again.
inbox-btn-accept = { $number }. Accept
inbox-btn-decline = { $number }. Decline
inbox-btn-open = { $number }. Open
menu-inbox-count = 📥 Inbox ({ $count })
inbox-btn-open-inbox = 📥 Inbox
inbox-btn-refresh = 🔄 Refresh
inbox-btn-complete = { $number }. Completed
inbox-btn-seen = { $number }. Got it
inbox-btn-assign = { $number }. Assign a methodist
inbox-application = { $number }. Internship application: { $name } — { $organisation }, from { $start }
inbox-application-orphan = { $number }. Internship application (no methodist assigned): { $name } — { $organisation }, from { $start }
inbox-application-ended = { $number }. The internship ended on { $end }: { $name } — { $organisation }. Completed?
inbox-application-answer = { $number }. An answer to your internship application: { $organisation } — { $status }
inbox-route-no-methodist = { $number }. A route awaits approval, but no methodist is assigned: { $name }
inbox-no-methodist = { $number }. A teacher without a methodist: { $name }
inbox-application-accepted = Application accepted, the answer is sent: { $name }.
inbox-application-declined = Application declined, the answer is sent: { $name }.
inbox-application-completed = Internship marked as completed, the notice is sent: { $name }.
application-status-applied = awaiting an answer
application-status-accepted = accepted
application-status-declined = declined
application-status-completed = completed
application-status-cancelled = withdrawn
btn-link-account = 🔗 Link another messenger
messenger-telegram = Telegram
messenger-max = MAX
link-code =
    Code to link your accounts: <code>{ $code }</code>
    Open this bot in { $messenger } and send: <code>/link { $code }</code>
    The code works for { $minutes } minutes and only once. Then both messengers show one profile; reminders and broadcasts come to the messenger you last wrote to the bot from, and only there.
link-usage = To link your accounts, send /link and the code from «👤 Profile» in the other messenger, e.g. <code>/link ABCD2345</code>
link-code-invalid = That code did not work: it is wrong, used or expired. Get a new one in «👤 Profile» → «🔗 Link another messenger» and send /link with it.
link-account-known = This account already has a profile. Only an account you have not started with yet can be linked.
link-same-messenger = This code was issued in this same messenger. Send it to the bot in the other one.
link-done = Accounts linked. Hello, { $name }! Your profile and everything you started in the other messenger are here.
profile-linked = 🔗 Linked account: { $messengers }
btn-unlink = ✂️ Unlink { $messenger }
unlink-confirm =
    Unlink your { $other } account?
    Your profile and everything in it (self-diagnosis, ИОМ, applications, mentorship) stay here, in { $here }. The { $other } account keeps nothing: the bot will meet it as a new person, with the consent and the questionnaire again. Reminders and broadcasts will come here only.
btn-unlink-yes = Yes, unlink { $other }
unlink-done = The { $other } account is unlinked. Your profile is here, in { $here }; reminders and broadcasts come here.
unlink-cancelled = Your accounts stay linked.
