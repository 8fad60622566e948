; AUTH: object properties ({ where: { id } }, { "Cache-Control": "public" }).
(pair key: (_) @key value: (_) @value) @pair
(shorthand_property_identifier) @shorthand
