import RegistryImage
print("registry-image")
