# a positional class pattern calls __match_args__ and reads attributes
match scene:
    case object(objects):
        pass
