"""Open enrolment: calls for participation, intake, waitlist, cohorts and group formation."""
