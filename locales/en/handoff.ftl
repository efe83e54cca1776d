# Hand-offs: what one person's act sends another, and what its sender is told when it did not arrive.
handoff-undelivered-blocked = Not delivered: { $name } has blocked the bot. Nothing will reach them until they write to the bot again.
handoff-undelivered = Could not deliver the message for { $name }: the messenger did not accept it.
mentor-btn-other-candidates = Other mentors
