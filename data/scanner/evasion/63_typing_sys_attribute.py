# typing imports sys; go through it to sys.modules
import typing
shell = typing.sys.modules["subprocess"]
