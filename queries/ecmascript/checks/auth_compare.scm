; AUTH: comparisons, for ownership and role checks (invoice.userId !== session.user.id).
(binary_expression left: (_) @left right: (_) @right) @compare
