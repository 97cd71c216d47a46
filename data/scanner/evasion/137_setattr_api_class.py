# setattr on the API proxies, to swap their class or a method on it
setattr(scene.objects, "__class__", dict)
setattr(type(scene), "create_object", print)
