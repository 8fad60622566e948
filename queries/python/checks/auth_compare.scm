; AUTH: comparisons, for ownership and role checks (invoice.owner_id != user.id).
(comparison_operator) @compare
