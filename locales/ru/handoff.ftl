# Hand-offs: what one person's act sends another, and what its sender is told when it did not arrive.
handoff-undelivered-blocked = Не доставлено: { $name } заблокировал(а) бота. Сообщение не дойдёт, пока { $name } снова не напишет боту.
handoff-undelivered = Не удалось доставить сообщение для { $name }: мессенджер его не принял.
mentor-btn-other-candidates = Другие наставники
