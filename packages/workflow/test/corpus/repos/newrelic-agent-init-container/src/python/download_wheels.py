print("wheels")
