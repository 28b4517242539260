import CLibs
