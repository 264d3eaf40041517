Write-Host flanneld
