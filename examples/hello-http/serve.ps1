# hello-http for Windows: a tiny static HTTP/1.0 server on a TcpListener (no http.sys URL
# reservation, so no administrator rights), serving C:\www like busybox httpd on Linux.
$ErrorActionPreference = 'Stop'
$port = if ($env:PORT) { [int]$env:PORT } else { 8080 }
$root = [System.IO.Path]::GetFullPath('C:\www')
$types = @{ '.html' = 'text/html; charset=utf-8'; '.txt' = 'text/plain; charset=utf-8'; '.css' = 'text/css' }

$listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Any, $port)
$listener.Start()
[Console]::Out.WriteLine("hello-http listening on :$port")
[Console]::Out.Flush()

while ($true) {
  $client = $listener.AcceptTcpClient()
  try {
    $stream = $client.GetStream()
    $reader = [System.IO.StreamReader]::new($stream, [System.Text.Encoding]::ASCII, $false, 4096, $true)
    $request = $reader.ReadLine()
    while ($true) {
      $line = $reader.ReadLine()
      if ([string]::IsNullOrEmpty($line)) { break }
    }
    $path = if ($request) { ($request -split ' ')[1] } else { '/' }
    if (-not $path -or $path -eq '/') { $path = '/index.html' }
    $file = [System.IO.Path]::GetFullPath((Join-Path $root ($path.Split('?')[0].TrimStart('/') -replace '/', '\')))
    if ($file.StartsWith($root) -and (Test-Path -LiteralPath $file -PathType Leaf)) {
      $status = '200 OK'
      $body = [System.IO.File]::ReadAllBytes($file)
      $type = $types[[System.IO.Path]::GetExtension($file)]
      if (-not $type) { $type = 'application/octet-stream' }
    } else {
      $status = '404 Not Found'
      $body = [System.Text.Encoding]::ASCII.GetBytes("not found`n")
      $type = 'text/plain'
    }
    $head = "HTTP/1.0 $status`r`nContent-Type: $type`r`nContent-Length: $($body.Length)`r`nConnection: close`r`n`r`n"
    $bytes = [System.Text.Encoding]::ASCII.GetBytes($head)
    $stream.Write($bytes, 0, $bytes.Length)
    $stream.Write($body, 0, $body.Length)
    [Console]::Out.WriteLine("$request -> $status")
    [Console]::Out.Flush()
  } catch {
    [Console]::Error.WriteLine("error: $_")
  } finally {
    $client.Close()
  }
}
