# __reduce_ex__ of an API object reveals its class and state
print(scene.objects.__reduce_ex__(2))
