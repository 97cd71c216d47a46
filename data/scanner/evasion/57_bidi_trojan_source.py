# Trojan Source: a direction override makes the reviewer read something else
import bpy
access_level = "user‮ ⁦# admin⁩ ⁦"
bpy.data.objects["Cube"].location.x = 1.0
