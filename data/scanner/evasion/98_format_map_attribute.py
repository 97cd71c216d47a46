# format_map reads attributes through the mapping it is given
"{x.__class__.__mro__}".format_map({"x": scene})
