# fullwidth low lines: NFKC turns ＿＿class＿＿ into __class__
print(scene.＿＿class＿＿)
