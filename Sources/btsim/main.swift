print("btsim")
