## Записи для муниципальных показателей (002, показатели 3–6): конкурсы профессионального мастерства,
## представленный актуальный опыт, педагоги-тьюторы, эксперты, члены жюри

rec-section = <b>Конкурсы, опыт, роли</b>
rec-line = • { $date } · { $kind } ({ $level }): { $title }
rec-line-result = • { $date } · { $kind } ({ $level }): { $title } — { $result }
rec-kind-contest = Конкурс профессионального мастерства
rec-kind-experience = Представлен актуальный опыт
rec-kind-role = Тьютор, эксперт, член жюри
rec-level-school = уровень образовательной организации
rec-level-municipal = муниципальный уровень
rec-level-regional = региональный уровень
rec-level-federal = федеральный уровень
rec-level-international = международный уровень
rec-result-participant = участник
rec-result-prize_winner = призёр, лауреат
rec-result-winner = победитель
rec-result-tutor = педагог-тьютор
rec-result-expert = эксперт
rec-result-jury = член жюри
rec-btn-add = 🏆 Добавить: конкурс, опыт, роль
rec-header = <b>Новая запись</b> · { $name }
rec-ask-kind = Что записать?
rec-ask-level = Уровень:
rec-ask-title-contest = Напишите название конкурса.
rec-ask-title-experience = Напишите тему представленного опыта (и где он представлен).
rec-ask-title-role = Напишите, где педагог был тьютором, экспертом или членом жюри (конкурс, экспертиза, программа).
rec-ask-result-contest = Результат участия:
rec-ask-result-role = Роль:
rec-ask-date = Напишите дату в формате ДД.ММ.ГГГГ (день конкурса, представления опыта или работы в роли).
rec-saved = ✓ Запись сохранена: { $name }.
rec-stopped = Запись не сохранена.
rec-err-title-letters = Напишите название словами.
rec-err-date-old = Дата раньше { $year } года — проверьте год.
rec-schools-places = <b>Школы: конкурсы и опыт</b>
    Выберите муниципалитет:
rec-schools-list = <b>{ $municipality }</b>
    Выберите образовательную организацию:
rec-schools-none = <b>{ $municipality }</b>
    В справочнике региона нет школ этого муниципалитета.
rec-school-card = <b>{ $school }</b> · { $municipality }
rec-none = Записей пока нет.
rec-btn-add-school = 🏆 Добавить: конкурс, опыт
rec-btn-to-school = К школе
rec-ask-title-contest-school = Напишите название профессионального конкурса, в котором участвовала организация.
rec-ask-title-experience-school = Напишите тему представленного актуального опыта деятельности (и где он представлен).
