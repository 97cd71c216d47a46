import bpy

spot = bpy.data.objects["Spotlight"]
track = spot.constraints.new(type='TRACK_TO')
track.target = bpy.data.objects["Actor"]
track.track_axis = 'TRACK_NEGATIVE_Z'
track.up_axis = 'UP_Y'
