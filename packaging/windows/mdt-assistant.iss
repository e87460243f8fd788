; Inno Setup script: builds MDT-Assistant-Setup.exe from the PyInstaller folder.
;   py -m pip install ".[build]"
;   pyinstaller packaging\mdt-assistant.spec
;   iscc packaging\windows\mdt-assistant.iss
; Shortcuts start the windowed mdt-assistant.exe; mdt-app.exe is the console command line.
#define AppVersion "0.1.0"

[Setup]
AppId={{8B0D6D1E-6E55-4C4B-9E0A-5D7D0C1B2A11}
AppName=MDT Assistant
AppVersion={#AppVersion}
AppPublisher=MDT Assistant
DefaultDirName={autopf}\MDT Assistant
DefaultGroupName=MDT Assistant
OutputDir=..\..\dist
OutputBaseFilename=MDT-Assistant-Setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog

[Files]
Source: "..\..\dist\mdt-assistant\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\MDT Assistant"; Filename: "{app}\mdt-assistant.exe"
Name: "{group}\MDT Assistant (demo meeting)"; Filename: "{app}\mdt-assistant.exe"; Parameters: "--demo"

[Run]
Filename: "{app}\mdt-assistant.exe"; Parameters: "--demo"; Description: "Open the demo meeting"; Flags: nowait postinstall skipifsilent
