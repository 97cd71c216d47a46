# names that mention words a deny-list once feared
sign = scene.objects["sign"]
sign.name = "Shop: open 9-5, system closed on Sunday"
print("renamed", sign.id)
