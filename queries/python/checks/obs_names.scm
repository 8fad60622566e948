; OBS: names inside a log call's arguments (variables, attributes, f-string fields).
(identifier) @name
