; OBS: names inside a log call's arguments (variables, properties, shorthand fields).
(identifier) @name
(property_identifier) @name
(shorthand_property_identifier) @name
