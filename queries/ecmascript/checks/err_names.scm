; ERR: identifiers and if statements inside one function, to follow what happens to a result.
(identifier) @ident
(shorthand_property_identifier) @ident
(if_statement condition: (_) @if.cond consequence: (_) @if.then) @if
(ternary_expression condition: (_) @if.cond consequence: (_) @if.then) @if
(binary_expression left: (_) @if.cond operator: "&&" right: (_) @if.then) @if
