; Inno Setup 6 script for 支部台账: a per-user install that needs no administrator rights.
; Build the bundle first (python installer\build.py), then:  ISCC.exe installer\zhibu-taizhang.iss
; Simplified Chinese messages: ChineseSimplified.isl ships with Inno Setup 6.5+ (older
; versions: put the translation into the compiler's Languages folder).
;
; The user's data (数据库、备份、日志) lives in %APPDATA%\zhibu-taizhang, outside {app}:
; the uninstaller never touches it, and an upgrade in place keeps it.

#define AppName "支部台账"
#define AppExe "zhibu-taizhang.exe"
#define CliExe "zhibu-cli.exe"
#ifndef AppVersion
  ; read from the built executable's version resource (set from pyproject by build.py)
  #define AppVersion GetVersionNumbersString(AddBackslash(SourcePath) + "..\dist\zhibu-taizhang\" + AppExe)
#endif

[Setup]
; a fixed AppId: a newer installer upgrades the installed copy in place
AppId={{6E0C5B1E-4C1D-4F8E-9E0B-2B7A7D1C9A31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
; per user, no UAC prompt; {autopf} resolves to the user's own Programs folder
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsedUserAreasWarning=no
; Qt 6 needs 64-bit Windows 10 or newer
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=zhibu-taizhang-{#AppVersion}-setup
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; close a running copy before files are replaced (upgrade in place)
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=no

[Languages]
Name: "chinesesimp"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "快捷方式："

[Files]
Source: "..\dist\zhibu-taizhang\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; an upgrade replaces the program folder's library files, never the user's data folder
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "党支部工作台账"
Name: "{autoprograms}\{#AppName}（演示数据）"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"; WorkingDir: "{app}"; Comment: "打开演示支部，不影响您的数据"
Name: "{autoprograms}\卸载{#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "立即运行{#AppName}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] entry on purpose: only the files installed into {app} are removed;
; %APPDATA%\zhibu-taizhang (数据库、备份、日志) stays.
