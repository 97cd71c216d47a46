# a keyword argument named like a dunder, to reach the class of the API
scene.create_object("x", __class__=dict)
